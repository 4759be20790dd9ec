#include "http/handlers/handlers.h"
#include "http/json_io.h"

namespace noaber::http::handlers {

HttpResponse healthz(RequestContext& ctx) {
  if (auto s = ctx.services.store.ping(); !s)
    return json_response(503, boost::json::object{{"status", "unavailable"}});
  return json_response(200, boost::json::object{{"status", "ok"}});
}

HttpResponse metrics(RequestContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = ctx.services.metrics.render_prometheus();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace noaber::http::handlers
