// Micro-benchmarks of the hot pure functions: the cursor codec, Markdown
// rendering, and serialising a feed page to JSON. Run: build/noaber_benchmarks

#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>

#include "core/cursor.h"
#include "core/markdown.h"
#include "http/json_views.h"

namespace noaber {
namespace {

void BM_CursorRoundTrip(benchmark::State& state) {
  std::int64_t id = 1;
  for (auto _ : state) {
    auto decoded = decode_cursor(encode_cursor(id++));
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_CursorRoundTrip);

constexpr std::string_view kTypicalBody =
    "Ik ben geopereerd aan mijn heup en kan een paar weken niet fietsen. Wie wil er "
    "**dinsdag of donderdag** boodschappen voor me doen bij de Albert Heijn?\n\n"
    "- melk\n- brood\n- appels\n\nMeer info: https://www.example.org/buurt";

void BM_RenderMarkdown(benchmark::State& state) {
  for (auto _ : state) {
    auto html = render_markdown(kTypicalBody);
    benchmark::DoNotOptimize(html);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTypicalBody.size()));
}
BENCHMARK(BM_RenderMarkdown);

Post sample_post(std::int64_t id) {
  Post p;
  p.id = PostId{id};
  p.neighbourhood_id = NeighbourhoodId{3};
  p.region_id = RegionId{1};
  p.author = PersonRef{UserId{id % 97 + 1}, "Anna de Vries"};
  p.kind = PostKind::ask;
  p.category = Category::care;
  p.title = "Boodschappen deze week";
  p.body = std::string(kTypicalBody);
  p.body_html = render_markdown(kTypicalBody);
  p.created_at = TimePoint{std::chrono::seconds(1'800'000'000 + id)};
  p.expires_at = p.created_at + std::chrono::days(60);
  p.updated_at = p.created_at;
  p.response_count = 2;
  return p;
}

// One feed page of 20 posts, as GET /feed writes it.
void BM_SerialiseFeedPage(benchmark::State& state) {
  std::vector<Post> page;
  for (int i = 0; i < 20; ++i) page.push_back(sample_post(1000 - i));
  std::size_t bytes = 0;
  for (auto _ : state) {
    boost::json::array posts;
    for (const auto& p : page) posts.push_back(http::post_json(p));
    std::string out = boost::json::serialize(
        boost::json::object{{"posts", std::move(posts)}, {"next_cursor", encode_cursor(981)}});
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_SerialiseFeedPage);

}  // namespace
}  // namespace noaber
