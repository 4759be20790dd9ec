#include "http/json_views.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"

namespace noaber::http {
namespace json = boost::json;

json::object self_user(const User& u) {
  return {{"id", u.id.value},
          {"email", u.email},
          {"display_name", u.display_name},
          {"locale", to_string(u.locale)}};
}

json::object person(const PersonRef& p) {
  // An erased account's name is gone from the database (store.h,
  // erase_user). The flag lets a client show its own translation; the
  // display_name is a neutral English fallback.
  json::object o;
  if (p.former())
    o = {{"id", p.id.value}, {"display_name", "Former neighbour"}, {"former_neighbour", true}};
  else
    o = {{"id", p.id.value}, {"display_name", p.display_name}};
  // The badge of a professional acting as one (docs/professionals.md).
  if (p.organisation) o["professional"] = {{"organisation", *p.organisation}};
  return o;
}

json::object neighbourhood_summary(const Neighbourhood& n) {
  return {{"id", n.id.value},
          {"name", n.name},
          {"region", n.region_name},
          {"lat", n.lat},
          {"lon", n.lon},
          {"member_count", n.member_count}};
}

json::object neighbourhood_json(const Neighbourhood& n) {
  json::object o = neighbourhood_summary(n);
  o["created_at"] = format_rfc3339(n.created_at);
  return o;
}

json::object membership_json(const Membership& m) {
  return {{"neighbourhood", {{"id", m.neighbourhood_id.value}, {"name", m.neighbourhood_name}}},
          {"user", person(m.member)},
          {"role", to_string(m.role)},
          {"status", to_string(m.status)},
          {"joined_at", format_rfc3339(m.joined_at)},
          {"connector", is_connector(m)},
          {"connector_since", m.connector_since ? json::value(format_rfc3339(*m.connector_since))
                                                : json::value(nullptr)}};
}

json::object member_json(const Membership& m) {
  return {{"user", person(m.member)},
          {"role", to_string(m.role)},
          {"status", to_string(m.status)},
          {"joined_at", format_rfc3339(m.joined_at)},
          {"connector", is_connector(m)}};
}

json::object post_json(const Post& p) {
  json::object o{{"id", p.id.value},
                 {"neighbourhood_id", p.neighbourhood_id.value},
                 {"author", person(p.author)},
                 {"kind", to_string(p.kind)},
                 {"category", to_string(p.category)},
                 {"title", p.title},
                 {"body", p.body},
                 {"body_html", p.body_html},
                 {"visibility", to_string(p.visibility)},
                 {"status", to_string(p.status)},
                 {"created_at", format_rfc3339(p.created_at)},
                 {"expires_at", nullptr},
                 {"response_count", p.response_count},
                 {"not_for_professionals", p.not_for_professionals}};
  if (p.expires_at) o["expires_at"] = format_rfc3339(*p.expires_at);
  // Only its author and the managers still see a hidden post (docs/moderation.md).
  if (p.hidden_at) o["hidden"] = true;
  return o;
}

json::object post_json(const PostView& view) {
  json::object o = post_json(view.post);
  if (view.responses) {
    json::array responses;
    for (const auto& r : *view.responses) responses.push_back(response_json(r));
    o["responses"] = std::move(responses);
  }
  return o;
}

json::object response_json(const PostResponse& r) {
  json::object o{{"id", r.id.value},
                 {"post_id", r.post_id.value},
                 {"responder", person(r.responder)},
                 {"message", r.message},
                 {"status", to_string(r.status)},
                 {"created_at", format_rfc3339(r.created_at)}};
  if (r.hidden_at) o["hidden"] = true;
  return o;
}

json::object exchange_json(const Exchange& e) {
  json::object o{{"id", e.id.value},
                 {"post_id", e.post_id.value},
                 {"giver", person(e.giver)},
                 {"receiver", person(e.receiver)},
                 {"category", to_string(e.category)},
                 {"hours", nullptr},
                 {"thanks", nullptr},
                 {"completed_at", format_rfc3339(e.completed_at)}};
  if (e.hours) o["hours"] = *e.hours;
  if (e.thanks) o["thanks"] = *e.thanks;
  return o;
}

boost::json::object post_event_json(const PostEvent& e) {
  json::object o{{"id", e.post_id.value},
                 {"kind", to_string(e.kind)},
                 {"category", to_string(e.category)},
                 {"title", e.title},
                 {"status", to_string(e.status)}};
  if (e.hidden) o["hidden"] = true;
  return o;
}

boost::json::object hidden_post_event_json(PostId id) {
  return {{"id", id.value}, {"hidden", true}};
}

// --- professionals (docs/professionals.md) ------------------------------------

namespace {
json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(format_rfc3339(*t));
}
}  // namespace

json::object professional_profile_json(const ProfessionalProfile& p) {
  return {{"organisation", p.organisation},
          {"function", p.function},
          {"description", p.description},
          {"created_at", format_rfc3339(p.created_at)},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

json::object professional_settings_json(const ProfessionalSettings& s) {
  json::array scope;
  for (Category c : s.scope) scope.emplace_back(to_string(c));
  return {{"admission", to_string(s.admission)},
          {"objection_days", s.objection_days},
          {"objection_count", s.objection_count},
          {"vote_quorum", s.vote_quorum},
          {"vote_majority_percent", s.vote_majority_percent},
          {"scope", std::move(scope)},
          {"access_months", s.access_months},
          {"updated_at", time_or_null(s.updated_at)}};
}

json::object professional_access_json(const ProfessionalAccess& a) {
  PersonRef who = a.professional;
  if (!a.organisation.empty()) who.organisation = a.organisation;
  json::object o{{"neighbourhood_id", a.neighbourhood_id.value},
                 {"professional", person(who)},
                 {"function", a.function},
                 {"purpose", a.purpose},
                 {"status", to_string(a.status)},
                 {"requested_at", format_rfc3339(a.requested_at)},
                 {"decided_at", time_or_null(a.decided_at)},
                 {"buddy", nullptr},
                 {"active_since", time_or_null(a.active_since)},
                 {"expires_at", time_or_null(a.expires_at)},
                 {"objections", a.objections},
                 {"votes", {{"in_favour", a.votes_in_favour}, {"against", a.votes_against}}},
                 {"decision_due_at", time_or_null(a.decision_due_at)},
                 {"renewal_requested_at", time_or_null(a.renewal_requested_at)},
                 {"renewal_due_at", time_or_null(a.renewal_due_at)}};
  if (a.buddy) o["buddy"] = person(*a.buddy);
  return o;
}

json::object access_event_json(const AccessEvent& e) {
  json::object o{{"id", e.id},
                 {"event", to_string(e.kind)},
                 {"at", format_rfc3339(e.at)},
                 {"professional", person(e.professional)},
                 {"rule", e.rule.empty() ? json::value(nullptr) : json::value(e.rule)},
                 {"actor", e.actor ? json::value(person(*e.actor)) : json::value(nullptr)},
                 {"purpose", nullptr},
                 {"objections", e.objections},
                 {"votes", {{"in_favour", e.votes_in_favour}, {"against", e.votes_against}}}};
  if (e.kind == AccessEventKind::requested || e.kind == AccessEventKind::renewal_requested)
    o["purpose"] = e.purpose;
  return o;
}

json::object professional_activity_json(const ProfessionalActivity& a) {
  return {{"professional", person(a.professional)},
          {"status", to_string(a.status)},
          {"expires_at", time_or_null(a.expires_at)},
          {"renewal_requested_at", time_or_null(a.renewal_requested_at)},
          {"posts", a.posts},
          {"responses", a.responses},
          {"views", a.views},
          {"last_view_at", time_or_null(a.last_view_at)}};
}

json::object professional_view_json(const ProfessionalView& v) {
  PersonRef who = v.professional;
  who.organisation = v.organisation;
  return {{"professional", person(who)}, {"viewed_at", format_rfc3339(v.viewed_at)}};
}

json::object notification_json(const Notification& n) {
  json::value actor = nullptr;
  if (n.actor) actor = person(*n.actor);
  return {{"id", n.id.value},
          {"kind", to_string(n.kind)},
          {"post", n.post_id ? json::value(json::object{{"id", n.post_id->value},
                                                        {"title", n.post_title}})
                             : json::value(nullptr)},
          {"access_event", n.access_event ? json::value(json::object{
                                                {"id", n.access_event->event_id},
                                                {"event", n.access_event->event},
                                                {"neighbourhood",
                                                 {{"id", n.access_event->neighbourhood_id.value},
                                                  {"name", n.access_event->neighbourhood_name}}},
                                                {"professional", person(n.access_event->professional)},
                                                {"rule", n.access_event->rule.empty()
                                                             ? json::value(nullptr)
                                                             : json::value(n.access_event->rule)},
                                                {"purpose", n.access_event->purpose}})
                                          : json::value(nullptr)},
          {"actor", std::move(actor)},
          {"created_at", format_rfc3339(n.created_at)},
          {"read", n.read_at.has_value()}};
}

// --- moderation (docs/moderation.md) ------------------------------------------

json::object person_json(const PersonRef& p) { return person(p); }

}  // namespace noaber::http
