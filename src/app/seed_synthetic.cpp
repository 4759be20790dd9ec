#include "app/seed_synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <numbers>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/app.h"
#include "core/geo.h"
#include "core/markdown.h"
#include "services/password_hasher.h"
#include "store/sqlite/bulk_loader.h"

namespace noaber {
namespace {

// --- randomness ----------------------------------------------------------------

// xoshiro256** seeded by splitmix64: fast, and the same numbers for a seed
// on every platform (the standard distributions are not).
class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // 0 <= value < n
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// --- Dutch-looking words -----------------------------------------------------------

struct Place {
  const char* name;
  double lat;
  double lon;
};

// Towns across the Netherlands; regions gather around them, so centroids
// fall on land where people live.
constexpr std::array<Place, 48> kTowns{{
    {"Amsterdam", 52.370, 4.895},   {"Rotterdam", 51.922, 4.479},  {"Den Haag", 52.078, 4.288},
    {"Utrecht", 52.091, 5.122},     {"Eindhoven", 51.441, 5.470},  {"Groningen", 53.219, 6.567},
    {"Tilburg", 51.556, 5.091},     {"Almere", 52.350, 5.264},     {"Breda", 51.589, 4.776},
    {"Nijmegen", 51.842, 5.853},    {"Apeldoorn", 52.211, 5.969},  {"Haarlem", 52.387, 4.646},
    {"Arnhem", 51.985, 5.899},      {"Enschede", 52.221, 6.894},   {"Amersfoort", 52.156, 5.388},
    {"Zaanstad", 52.457, 4.751},    {"Zwolle", 52.517, 6.083},     {"Leiden", 52.160, 4.497},
    {"Maastricht", 50.851, 5.691},  {"Dordrecht", 51.813, 4.690},  {"Zoetermeer", 52.057, 4.493},
    {"Leeuwarden", 53.201, 5.800},  {"Deventer", 52.255, 6.163},   {"Delft", 52.012, 4.357},
    {"Alkmaar", 52.632, 4.748},     {"Venlo", 51.370, 6.172},      {"Helmond", 51.476, 5.661},
    {"Hilversum", 52.223, 5.176},   {"Heerlen", 50.888, 5.979},    {"Oss", 51.765, 5.518},
    {"Assen", 52.993, 6.565},       {"Emmen", 52.785, 6.897},      {"Zutphen", 52.139, 6.196},
    {"Gouda", 52.012, 4.711},       {"Middelburg", 51.499, 3.610}, {"Den Helder", 52.959, 4.760},
    {"Hoorn", 52.643, 5.060},       {"Lelystad", 52.518, 5.471},   {"Roermond", 51.194, 5.987},
    {"Bergen op Zoom", 51.495, 4.291}, {"Sneek", 53.033, 5.659},   {"Doetinchem", 51.965, 6.289},
    {"Ede", 52.040, 5.665},         {"Harderwijk", 52.342, 5.620}, {"Hengelo", 52.266, 6.793},
    {"Meppel", 52.696, 6.194},      {"Goes", 51.504, 3.889},       {"Kampen", 52.555, 5.911},
}};

constexpr std::array<const char*, 12> kRegionPrefixes{
    "Ooster", "Wester", "Noorder", "Zuider", "Nieuw-", "Oud-",
    "Groot-", "Klein-", "Hoog-",   "Laag-",  "Sint-",  "Ter "};
constexpr std::array<const char*, 16> kRegionBases{
    "wolde", "veen", "dam",  "dijk",  "horst",  "broek", "hoven", "berg",
    "wijk",  "meer", "hout", "beek",  "zande",  "vliet", "loo",   "gouw"};

constexpr std::array<const char*, 24> kHoodStems{
    "Bloemen", "Vogel",  "Schilders", "Bomen", "Kastanje", "Linden", "Eiken", "Molen",
    "Kerk",    "Haven",  "Dijk",      "Beek",  "Veld",     "Berg",   "Zand",  "Water",
    "Brink",   "Markt",  "Stations",  "Park",  "Rozen",    "Wilgen", "Sluis", "Heide"};
constexpr std::array<const char*, 8> kHoodEnds{"wijk", "buurt", "kwartier", "hof",
                                               "dorp", "veld",  "kamp",     "laan"};
constexpr std::array<const char*, 10> kHoodPrefixes{"",       "",       "",      "",
                                                    "Oud-",   "Nieuw-", "Noord-", "Zuid-",
                                                    "Oost-",  "West-"};

constexpr std::array<const char*, 64> kFirstNames{
    "Anna",  "Kees",    "Fatima", "Henk",    "Sanne",  "Mohammed", "Joke",    "Pieter",
    "Lotte", "Gerrit",  "Ineke",  "Daan",    "Wilma",  "Bram",     "Priya",   "Jan",
    "Marieke", "Tom",   "Ans",    "Youssef", "Els",    "Ruud",     "Nina",    "Bert",
    "Maria", "Harm",    "Lieke",  "Cor",     "Emma",   "Sem",      "Julia",   "Lucas",
    "Sophie", "Milan",  "Fleur",  "Thijs",   "Noor",   "Jesse",    "Saskia",  "Wouter",
    "Ayşe",  "Mehmet",  "Esther", "Arjen",   "Iris",   "Rik",      "Femke",   "Stijn",
    "Hanneke", "Joost", "Yara",   "Bilal",   "Mirjam", "Ton",      "Ellen",   "Koen",
    "Dewi",  "Rachid",  "Tineke", "Gijs",    "Linda",  "Marco",    "Zeynep",  "Hugo"};
constexpr std::array<const char*, 64> kLastNames{
    "de Vries", "Jansen",   "El Amrani", "Bos",       "Visser",   "Yilmaz",   "Smit",
    "Mulder",   "de Boer",  "Meijer",    "de Groot",  "Bakker",   "Hendriks", "van Dijk",
    "Sharma",   "Dekker",   "Kok",       "Peters",    "Willems",  "Haddou",   "Vos",
    "Brouwer",  "Kuipers",  "van Leeuwen", "Santos",  "Kroon",    "Wouters",  "Verbeek",
    "Maas",     "Schouten", "van den Berg", "van der Meer", "Dijkstra", "de Jong", "Janssen",
    "Vermeulen", "Koster",  "Prins",     "Huisman",   "Postma",   "Kramer",   "van Beek",
    "Hoekstra", "Veenstra", "de Wit",    "Jacobs",    "Gerritsen", "Boer",    "Vink",
    "Timmermans", "Koç",    "Bennani",   "Pranoto",   "Nguyen",   "Wiersma",  "Molenaar",
    "van Vliet", "Scholten", "Post",     "Evers",     "Sanders",  "Kaya",     "Lammers",
    "Hermans"};

// What people ask and offer, by kind and category. Bodies are an opening
// sentence and a closing one; a few use Markdown.
struct Topic {
  PostKind kind;
  Category category;
  std::array<const char*, 4> titles;
  std::array<const char*, 4> openings;
};

constexpr std::array<Topic, 10> kTopics{{
    {PostKind::ask, Category::goods,
     {"Boormachine lenen", "Kinderfietsje gezocht", "Wie heeft een ladder?", "Partytent nodig"},
     {"Voor een paar gaatjes in de muur heb ik een **klopboormachine** nodig.",
      "Onze dochter is uit haar fiets gegroeid; een tweedehands fietsje is welkom.",
      "Ik wil de dakgoot schoonmaken maar heb geen ladder die hoog genoeg is.",
      "Voor het verjaardagsfeest van mijn moeder zoek ik een tent voor in de tuin."}},
    {PostKind::offer, Category::goods,
     {"Stekjes af te halen", "Aanhanger te leen", "Kinderkleding over", "Gratis: boekenkast"},
     {"Ik heb tien stekjes van mijn vijgenboom in potjes staan.",
      "Mijn aanhanger staat meestal stil; buren mogen hem lenen.",
      "Een doos kinderkleding maat 110-116, netjes en gewassen.",
      "Een stevige boekenkast van grenen, op te halen bij mij thuis."}},
    {PostKind::ask, Category::knowledge,
     {"Hulp bij belastingaangifte", "Wie kent iets van fietsen?", "Uitleg over de smartphone",
      "Tips voor de moestuin"},
     {"Ik kom er met de toeslagen niet uit en zoek iemand die het rustig uitlegt.",
      "Mijn versnelling slaat door en ik weet niet waar ik moet beginnen.",
      "Mijn kleinkinderen sturen foto's via de app, maar ik kan ze niet openen.",
      "Dit jaar wil ik voor het eerst *tomaten en bonen* kweken."}},
    {PostKind::offer, Category::knowledge,
     {"Bijles Engels", "Hulp met de computer", "Naailes voor beginners", "Fietsreparatie"},
     {"Ik ben lerares Engels en geef graag een uur per week bijles aan buren.",
      "Ik werk in de ICT en help graag met computers, printers en wifi.",
      "Ik heb een naaimachine en leer je graag een broek korter maken.",
      "Lekke band of losse ketting? Ik kijk er graag even naar."}},
    {PostKind::ask, Category::money,
     {"Bijdrage voor de buurtbarbecue", "Sponsor gezocht voor het voetbalteam",
      "Samen een AED aanschaffen", "Geld voor de speeltuin"},
     {"We organiseren in juni een barbecue op het pleintje en zoeken bijdragen.",
      "Ons jeugdteam heeft nieuwe shirts nodig voor het seizoen.",
      "We willen een AED aan de gevel van het buurthuis hangen.",
      "De schommel in de speeltuin is kapot en de gemeente heeft geen budget."}},
    {PostKind::offer, Category::money,
     {"Renteloos lenen voor een noodgeval", "Bijdrage voor de buurtkamer",
      "Statiegeldbonnen voor het goede doel", "Kosten voor de bus gedeeld"},
     {"Ik kan een buur in nood een klein bedrag lenen, zonder rente.",
      "Ik draag graag bij aan de huur van de buurtkamer.",
      "Ik spaar statiegeldbonnen en geef ze aan wie ze goed kan gebruiken.",
      "Ik rijd elke week naar de stad en deel graag de kosten van de rit."}},
    {PostKind::ask, Category::contacts,
     {"Nederlands oefenen", "Wandelmaatje gezocht", "Wie wil er mee kaarten?",
      "Nieuw in de buurt"},
     {"Ik wil mijn Nederlands verbeteren en zoek iemand om mee te praten.",
      "Ik wandel graag maar vind het alleen een beetje saai.",
      "Op donderdagmiddag zoeken we nog een vierde voor het klaverjassen.",
      "We zijn net verhuisd en kennen nog bijna niemand in de straat."}},
    {PostKind::offer, Category::contacts,
     {"Welkomstkoffie voor nieuwe buren", "Samen koken op vrijdag", "Taalcafé in de buurtkamer",
      "Wandelgroep op zondag"},
     {"Elke eerste zaterdag van de maand drinken we koffie in de buurtkamer.",
      "Ik kook op vrijdag voor wie gezelschap zoekt; iedereen is welkom.",
      "Elke woensdagavond oefenen we samen Nederlands, gezellig en zonder toets.",
      "Op zondagochtend lopen we een uur door het park, in een rustig tempo."}},
    {PostKind::ask, Category::care,
     {"Boodschappen deze week", "Vervoer naar het ziekenhuis", "Iemand die de kat voert",
      "Hulp bij het opruimen"},
     {"Ik ben geopereerd en kan een paar weken niet fietsen.",
      "Volgende week heb ik een afspraak in het ziekenhuis en ik rijd zelf niet.",
      "Ik ben twee weken weg en zoek iemand die Minoes eten geeft.",
      "Na de verbouwing staat de schuur vol en ik kan niet zwaar tillen."}},
    {PostKind::offer, Category::care,
     {"Extra pan soep", "Oppassen op woensdag", "Boodschappen voor wie niet kan",
      "Even langskomen voor een praatje"},
     {"Ik kook graag en maak op vrijdag een extra pan soep voor wie ziek is.",
      "Ik ben met pensioen en pas graag een middag op de kinderen.",
      "Ik ga twee keer per week naar de supermarkt en neem graag iets mee.",
      "Voor wie zich alleen voelt: ik kom graag langs voor een kop koffie."}},
}};

constexpr std::array<const char*, 8> kClosings{
    "Laat het even weten via een reactie.",
    "Ik woon vlakbij het buurthuis.",
    "Alvast bedankt, buren!",
    "Het hoeft niet meteen, deze maand is prima.",
    "Een kop koffie staat klaar.",
    "Reageer gerust, ook als je maar een beetje tijd hebt.",
    "Meer weten? Stuur een berichtje.",
    "Samen maken we de buurt mooier."};

constexpr std::array<const char*, 8> kResponseMessages{
    "Ik kan je helpen, wanneer komt het uit?",
    "Leuk! Ik woon om de hoek.",
    "Ik heb dit weekend tijd.",
    "Dat doe ik graag voor je.",
    "Ik heb er ervaring mee, ik kom even langs.",
    "Mag ik je bellen om het af te spreken?",
    "Ik ben er dinsdag en donderdag.",
    "Wat een goed idee, ik doe mee!"};

constexpr std::array<const char*, 8> kThanks{
    "Dank je wel, wat fijn dat je even tijd had!",
    "Super geholpen, echt top.",
    "Heel hartelijk bedankt, buur.",
    "Wat een aardige buurvrouw, dankjewel.",
    "Het ging in een handomdraai, bedankt!",
    "Dankzij jou is het gelukt.",
    "Fijn om elkaar zo te leren kennen. Dank!",
    "Bedankt, de koffie staat altijd klaar."};

struct Text {
  std::string title;
  std::string body;
  std::string body_html;
};

// Every title, body and its HTML, rendered once; posts point at them.
struct TextPool {
  // [topic][title (with its opening) * closings]
  std::vector<std::vector<Text>> by_topic;
  TextPool() {
    for (const auto& topic : kTopics) {
      auto& texts = by_topic.emplace_back();
      for (std::size_t k = 0; k < topic.titles.size(); ++k)
        for (const char* closing : kClosings) {
          Text t{topic.titles[k], fmt::format("{}\n\n{}", topic.openings[k], closing), ""};
          t.body_html = render_markdown(t.body);
          texts.push_back(std::move(t));
        }
    }
  }
};

// --- geography -------------------------------------------------------------------

constexpr double kKmPerDegree = 111.2;

struct Hood {
  double lat = 0;
  double lon = 0;
  RegionId region;
  std::string name;
  std::int64_t first_user = 0;  // users first_user .. first_user + residents - 1
  std::int64_t residents = 0;
  std::int64_t verified_begin = 0;  // into the flat list of verified ids
  std::int64_t verified_count = 0;
};

// Unique names: the towns first, then composed ones, numbered if needed.
std::vector<std::string> region_names(std::size_t count, Random& random) {
  std::vector<std::string> names;
  std::set<std::string> taken;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name;
    if (i < kTowns.size()) {
      name = kTowns[i].name;
    } else {
      const std::string prefix = random.pick(kRegionPrefixes);
      std::string base = random.pick(kRegionBases);
      if (prefix.back() == '-' || prefix.back() == ' ') base[0] = static_cast<char>(base[0] - 32);
      name = prefix + base;
    }
    for (int n = 2; taken.contains(name); ++n)
      if (n == 2)
        name += " 2";
      else
        name = name.substr(0, name.rfind(' ')) + " " + std::to_string(n);
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

// Pairs (a < b) of neighbourhoods within `km`: sorted by latitude, each
// compared only with those in its latitude band, so the work grows with the
// neighbourhoods times their handful of neighbours, not with the square.
std::vector<std::pair<std::int64_t, std::int64_t>> nearby_pairs(const std::vector<Hood>& hoods,
                                                                double km) {
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  if (!(km > 0)) return pairs;
  std::vector<std::int64_t> order(hoods.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
  std::ranges::sort(order, [&](auto a, auto b) { return hoods[a].lat < hoods[b].lat; });
  const double band = km / kKmPerDegree * 1.01;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Hood& a = hoods[order[i]];
    const double lon_band = band / std::cos(a.lat * std::numbers::pi / 180) * 1.01 + 1e-9;
    for (std::size_t j = i + 1; j < order.size() && hoods[order[j]].lat - a.lat <= band; ++j) {
      const Hood& b = hoods[order[j]];
      if (std::abs(b.lon - a.lon) > lon_band) continue;
      if (distance_km(a.lat, a.lon, b.lat, b.lon) <= km)
        pairs.emplace_back(std::min(order[i], order[j]), std::max(order[i], order[j]));
    }
  }
  return pairs;
}

// --- progress --------------------------------------------------------------------

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

class Progress {
 public:
  Progress(std::ostream& out, ProgressStyle style) : out_(out), style_(style) {}

  void begin(std::string_view what, std::int64_t total) {
    what_ = what;
    total_ = std::max<std::int64_t>(total, 1);
    started_ = last_ = std::chrono::steady_clock::now();
    next_check_ = 0;
  }
  // Cheap to call for every row; looks at the clock every 4096 rows.
  void update(std::int64_t done) {
    if (style_ == ProgressStyle::none || done < next_check_) return;
    next_check_ = done + 4096;
    const auto now = std::chrono::steady_clock::now();
    const auto every = style_ == ProgressStyle::bar ? std::chrono::milliseconds(200)
                                                    : std::chrono::milliseconds(5000);
    if (now - last_ < every) return;
    last_ = now;
    draw(done, now, false);
  }
  void end(std::int64_t done) {
    if (style_ == ProgressStyle::none) return;
    draw(done, std::chrono::steady_clock::now(), true);
  }
  void note(std::string_view text) {
    if (style_ == ProgressStyle::none) return;
    out_ << text << '\n' << std::flush;
  }

 private:
  void draw(std::int64_t done, std::chrono::steady_clock::time_point now, bool final) {
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    std::string line;
    if (style_ == ProgressStyle::bar) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(fraction * kWidth);
      line = fmt::format("\r{:<11} [{}{}] {:3.0f}% {}/{} {}/s ", what_, std::string(filled, '#'),
                         std::string(kWidth - filled, ' '), fraction * 100, grouped(done),
                         grouped(total_), grouped(static_cast<std::int64_t>(rate)));
      line += final ? fmt::format("in {:.1f} s\n", seconds) : fmt::format("{:.0f} s left ", left);
      out_ << line << std::flush;
    } else {
      out_ << fmt::format("{}: {}/{} ({:.0f}%), {}/s, {}\n", what_, grouped(done), grouped(total_),
                          fraction * 100, grouped(static_cast<std::int64_t>(rate)),
                          final ? fmt::format("done in {:.1f} s", seconds)
                                : fmt::format("{:.0f} s left", left))
           << std::flush;
    }
  }

  std::ostream& out_;
  ProgressStyle style_;
  std::string what_;
  std::int64_t total_ = 1;
  std::int64_t next_check_ = 0;
  std::chrono::steady_clock::time_point started_, last_;
};

// --- handing rows from the generating thread to the writing one ---------------------

struct PostBatch {
  static constexpr std::size_t kPosts = 1024;
  std::vector<BulkPost> posts;
  std::vector<BulkResponse> responses;
  std::vector<BulkExchange> exchanges;
};

// At most kQueued batches wait, so the generator stays a little ahead of
// the writer and no further; emptied batches go back to it for reuse.
class PostBatches {
 public:
  // False once the writer has given up (the generator stops then).
  bool push(PostBatch batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return queued_.size() < kQueued || abandoned_; });
    if (abandoned_) return false;
    queued_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  // Nothing once the generator is done and every batch was taken.
  std::optional<PostBatch> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queued_.empty() || closed_; });
    if (queued_.empty()) return std::nullopt;
    PostBatch batch = std::move(queued_.front());
    queued_.pop_front();
    room_.notify_one();
    return batch;
  }
  void recycle(PostBatch batch) {
    batch.posts.clear();
    batch.responses.clear();
    batch.exchanges.clear();
    std::scoped_lock lock(mutex_);
    spare_.push_back(std::move(batch));
  }
  PostBatch spare() {
    std::scoped_lock lock(mutex_);
    if (spare_.empty()) return {};
    PostBatch batch = std::move(spare_.back());
    spare_.pop_back();
    return batch;
  }
  void close() {
    std::scoped_lock lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  void abandon() {
    std::scoped_lock lock(mutex_);
    abandoned_ = true;
    room_.notify_all();
  }

 private:
  static constexpr std::size_t kQueued = 16;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<PostBatch> queued_;
  std::vector<PostBatch> spare_;
  bool closed_ = false;
  bool abandoned_ = false;
};

// --- the generator ------------------------------------------------------------------

TimePoint at(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

constexpr std::int64_t kDay = 86'400;

PostStatus pick_status(Random& random, bool recent) {
  const double u = random.unit();
  if (recent) {
    if (u < 0.75) return PostStatus::open;
    if (u < 0.90) return PostStatus::promised;
    if (u < 0.95) return PostStatus::done;
    return PostStatus::closed;
  }
  if (u < 0.35) return PostStatus::open;
  if (u < 0.45) return PostStatus::promised;
  if (u < 0.80) return PostStatus::done;
  if (u < 0.92) return PostStatus::closed;
  return PostStatus::expired;
}

Visibility pick_visibility(Random& random) {
  const double u = random.unit();
  if (u < 0.60) return Visibility::neighbourhood;
  if (u < 0.90) return Visibility::nearby;
  return Visibility::region;
}

}  // namespace

SyntheticCounts seed_synthetic(const std::string& db, const SyntheticOptions& options,
                               std::ostream& progress_out, ProgressStyle style) {
  if (db.find("://") != std::string::npos)
    throw std::invalid_argument(
        "seed-synthetic writes SQLite files only; PostgreSQL is not supported by the generator");
  if (options.neighbourhoods < 1) throw std::invalid_argument("--neighbourhoods must be at least 1");
  if (options.residents < options.neighbourhoods)
    throw std::invalid_argument(
        "--residents must be at least --neighbourhoods (every neighbourhood has a manager)");
  if (options.posts < 0) throw std::invalid_argument("--posts must not be negative");

  const auto started = std::chrono::steady_clock::now();
  Progress progress(progress_out, style);
  Random random(options.seed);
  SyntheticCounts counts;

  // The schema first, through the ordinary store; closed again before the
  // loader opens the file on its own.
  open_store(db, 0);

  progress.note("Hashing the shared password and rendering the texts...");
  const std::string password_hash = Argon2idHasher().hash(kSyntheticPassword);
  const TextPool texts;
  std::vector<std::string> people;
  for (const char* first : kFirstNames)
    for (const char* last : kLastNames) people.push_back(fmt::format("{} {}", first, last));

  // Neighbourhood sizes: households from 100 to 3,000, most of them small
  // (a skewed, roughly log-normal spread); residents follow the households.
  const auto hood_count = options.neighbourhoods;
  std::vector<Hood> hoods(static_cast<std::size_t>(hood_count));
  {
    std::vector<double> households(hoods.size());
    double total = 0;
    for (auto& h : households) {
      h = 100.0 * std::pow(30.0, std::pow(random.unit(), 1.8));
      total += h;
    }
    const std::int64_t spare = options.residents - hood_count;  // beyond one manager each
    std::int64_t given = 0;
    for (std::size_t i = 0; i < hoods.size(); ++i) {
      hoods[i].residents =
          1 + static_cast<std::int64_t>(static_cast<double>(spare) * households[i] / total);
      given += hoods[i].residents;
    }
    for (std::size_t i = 0; given < options.residents; i = (i + 1) % hoods.size(), ++given)
      ++hoods[i].residents;
  }

  // Regions of 20 to 200 neighbourhoods (fewer only when there are fewer in
  // all), each gathered around a town, neighbourhoods about 1.3 km apart.
  std::vector<std::int64_t> region_sizes;
  for (std::int64_t left = hood_count; left > 0;) {
    std::int64_t size = std::min<std::int64_t>(left, random.between(20, 200));
    if (left - size > 0 && left - size < 20) size = left <= 200 ? left : left - 20;
    region_sizes.push_back(size);
    left -= size;
  }
  const auto names = region_names(region_sizes.size(), random);
  {
    std::size_t next = 0;
    for (std::size_t r = 0; r < region_sizes.size(); ++r) {
      const Place& town = kTowns[r % kTowns.size()];
      // Regions beyond the list of towns settle near one, up to 15 km off.
      const double shift = r < kTowns.size() ? 0.0 : 15.0;
      const double centre_lat = town.lat + (random.unit() * 2 - 1) * shift / kKmPerDegree;
      const double cos_lat = std::cos(centre_lat * std::numbers::pi / 180);
      const double centre_lon =
          town.lon + (random.unit() * 2 - 1) * shift / (kKmPerDegree * cos_lat);
      const double radius_km =
          1.3 * std::sqrt(static_cast<double>(region_sizes[r]) / std::numbers::pi);
      for (std::int64_t k = 0; k < region_sizes[r]; ++k, ++next) {
        Hood& h = hoods[next];
        const double d = radius_km * std::sqrt(random.unit());
        const double angle = 2 * std::numbers::pi * random.unit();
        h.lat = centre_lat + d * std::sin(angle) / kKmPerDegree;
        h.lon = centre_lon + d * std::cos(angle) / (kKmPerDegree * cos_lat);
        h.region = RegionId{static_cast<std::int64_t>(r) + 1};
        std::string stem = random.pick(kHoodStems);
        std::string prefix = random.pick(kHoodPrefixes);
        h.name = prefix + stem + random.pick(kHoodEnds);
      }
    }
  }
  const auto pairs = nearby_pairs(hoods, options.nearby_km);

  const std::int64_t until = options.until.time_since_epoch().count();
  const std::int64_t founded = until - 3 * 365 * kDay;
  const std::int64_t posts_from = until - 365 * kDay;

  SqliteBulkLoader loader(db);
  const auto load_started = std::chrono::steady_clock::now();

  for (std::size_t r = 0; r < region_sizes.size(); ++r)
    loader.add_region(RegionId{static_cast<std::int64_t>(r) + 1}, names[r]);

  // Residents, numbered neighbourhood by neighbourhood, so memberships go in
  // in their key's order. The first of each neighbourhood manages it; about
  // one in fifty others still waits for approval.
  std::vector<UserId> verified;
  verified.reserve(static_cast<std::size_t>(options.residents));
  progress.begin("residents", options.residents);
  {
    std::int64_t user = 1;
    std::string email;
    for (std::size_t i = 0; i < hoods.size(); ++i) {
      Hood& h = hoods[i];
      h.first_user = user;
      h.verified_begin = static_cast<std::int64_t>(verified.size());
      std::vector<BulkMembership> members;
      for (std::int64_t k = 0; k < h.residents; ++k, ++user) {
        const auto joined = at(founded + static_cast<std::int64_t>(random.below(2 * 365 * kDay)));
        email = fmt::format("r{}@example.org", user);
        loader.add_user(BulkUser{
            .id = UserId{user},
            .email = email,
            .display_name = random.pick(people),
            .locale = random.chance(0.9) ? Locale::nl : Locale::en,
            .password_hash = password_hash,
            .created_at = joined,
        });
        const bool pending = k > 0 && random.chance(0.02);
        members.push_back(BulkMembership{
            .neighbourhood_id = NeighbourhoodId{static_cast<std::int64_t>(i) + 1},
            .user_id = UserId{user},
            .role = k == 0 ? Role::manager : Role::resident,
            .status = pending ? MemberStatus::pending : MemberStatus::verified,
            .joined_at = joined,
        });
        if (pending)
          ++counts.pending_members;
        else
          verified.push_back(UserId{user});
      }
      h.verified_count = static_cast<std::int64_t>(verified.size()) - h.verified_begin;
      loader.add_neighbourhood(BulkNeighbourhood{
          .id = NeighbourhoodId{static_cast<std::int64_t>(i) + 1},
          .name = h.name,
          .region_id = h.region,
          .lat = h.lat,
          .lon = h.lon,
          .member_count = h.verified_count,
          .created_at = at(founded - 30 * kDay),
      });
      for (const auto& m : members) loader.add_membership(m);
      progress.update(user - 1);
    }
    progress.end(user - 1);
  }
  {
    std::vector<std::pair<std::int64_t, std::int64_t>> both;
    both.reserve(pairs.size() * 2);
    for (const auto& [a, b] : pairs) {
      both.emplace_back(a + 1, b + 1);
      both.emplace_back(b + 1, a + 1);
    }
    std::ranges::sort(both);
    for (const auto& [a, b] : both) loader.add_nearby(NeighbourhoodId{a}, NeighbourhoodId{b});
  }

  // Posts, oldest first, spread over the year before `until`; each
  // neighbourhood posts in proportion to its verified members.
  std::vector<double> cumulative(hoods.size());
  {
    double sum = 0;
    for (std::size_t i = 0; i < hoods.size(); ++i) {
      sum += static_cast<double>(hoods[i].verified_count);
      cumulative[i] = sum;
    }
  }
  const double weight_total = cumulative.back();
  auto member_of = [&](const Hood& h) {
    return verified[static_cast<std::size_t>(h.verified_begin) + random.below(h.verified_count)];
  };

  std::int64_t response_id = 0, exchange_id = 0;
  // One thread generates the posts with their responses and exchanges, in
  // batches; this one writes them. Only the generator draws from `random`,
  // in the same order as it always did, so a seed still gives the same
  // data. The rows' texts are views into the pools above, which outlive
  // both threads.
  PostBatches batches;
  std::exception_ptr generator_failed;
  std::thread generator([&] {
    try {
      PostBatch batch;
      for (std::int64_t p = 1; p <= options.posts; ++p) {
        const double pick = random.unit() * weight_total;
        const auto hood_index = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
        const Hood& h = hoods[std::min(hood_index, hoods.size() - 1)];
        const NeighbourhoodId hood_id{static_cast<std::int64_t>(&h - hoods.data()) + 1};

        const std::int64_t created =
            posts_from + (p - 1) * (365 * kDay) / std::max<std::int64_t>(options.posts, 1);
        const bool recent = until - created < 21 * kDay;
        const std::size_t topic_index = random.below(kTopics.size());
        const Topic& topic = kTopics[topic_index];
        const Text& text = random.pick(texts.by_topic[topic_index]);
        const UserId author = member_of(h);

        // A post needs another member to have responses.
        PostStatus status = pick_status(random, recent);
        const bool can_respond = h.verified_count >= 2;
        if (!can_respond && status != PostStatus::open && status != PostStatus::expired)
          status = PostStatus::closed;

        std::array<UserId, 3> responders{};
        int responder_count = 0;
        int accepted = 0;
        if (can_respond) {
          switch (status) {
            // Most open posts have had no answer yet.
            case PostStatus::open:
              responder_count = random.chance(0.6) ? 0 : 1 + static_cast<int>(random.below(2));
              break;
            case PostStatus::promised: responder_count = 1 + static_cast<int>(random.below(2)); accepted = 1; break;
            case PostStatus::done:
              accepted = random.chance(0.1) && h.verified_count >= 3 ? 2 : 1;
              responder_count = accepted;
              break;
            case PostStatus::closed: responder_count = random.chance(0.7) ? 0 : 1; break;
            case PostStatus::expired: break;
          }
          responder_count = static_cast<int>(
              std::min<std::int64_t>(responder_count, h.verified_count - 1));
          for (int k = 0; k < responder_count; ++k) {
            UserId who;
            bool fresh = false;
            for (int tries = 0; tries < 16 && !fresh; ++tries) {
              who = member_of(h);
              fresh = who != author;
              for (int j = 0; j < k && fresh; ++j) fresh = responders[j] != who;
            }
            if (!fresh) {
              responder_count = k;
              break;
            }
            responders[k] = who;
          }
          accepted = std::min(accepted, responder_count);
          if (accepted == 0 && (status == PostStatus::promised || status == PostStatus::done))
            status = PostStatus::closed;
        }

        std::optional<TimePoint> expires;
        if (status == PostStatus::expired)
          expires = at(created + 30 * kDay);
        else if (random.chance(0.5))
          expires = at(created + 90 * kDay);
        // Answers come within two days, completion within a week after that.
        const std::int64_t answered = std::min(until - 1, created + 3600 + static_cast<std::int64_t>(random.below(2 * kDay)));
        const std::int64_t completed = std::min(until - 1, answered + 3600 + static_cast<std::int64_t>(random.below(7 * kDay)));
        const std::int64_t updated = status == PostStatus::done       ? completed
                                     : status == PostStatus::promised ? answered
                                     : status == PostStatus::closed   ? std::min(until - 1, created + 14 * kDay)
                                                                      : created;
        batch.posts.push_back(BulkPost{
            .id = PostId{p},
            .neighbourhood_id = hood_id,
            .region_id = h.region,
            .author_id = author,
            .kind = topic.kind,
            .category = topic.category,
            .title = text.title,
            .body = text.body,
            .body_html = text.body_html,
            .visibility = pick_visibility(random),
            .status = status,
            .created_at = at(created),
            .expires_at = expires,
            .updated_at = at(updated),
            .response_count = responder_count,
        });
        std::array<ResponseId, 3> response_ids{};
        for (int k = 0; k < responder_count; ++k) {
          response_ids[k] = ResponseId{++response_id};
          const bool is_accepted = k < accepted;
          batch.responses.push_back(BulkResponse{
              .id = response_ids[k],
              .post_id = PostId{p},
              .neighbourhood_id = hood_id,
              .responder_id = responders[k],
              .message = random.pick(kResponseMessages),
              .status = is_accepted ? ResponseStatus::accepted : ResponseStatus::pending,
              .created_at = at(answered),
              .accepted_at = is_accepted ? std::optional<TimePoint>(at(answered)) : std::nullopt,
          });
        }
        if (status == PostStatus::done) {
          for (int k = 0; k < accepted; ++k) {
            const bool ask = topic.kind == PostKind::ask;
            std::optional<double> hours;
            if ((topic.category == Category::care || topic.category == Category::knowledge) &&
                random.chance(0.7))
              hours = 0.5 * static_cast<double>(1 + random.below(6));
            std::optional<std::string_view> thanks;
            if (random.chance(0.9)) thanks = random.pick(kThanks);
            batch.exchanges.push_back(BulkExchange{
                .id = ExchangeId{++exchange_id},
                .post_id = PostId{p},
                .neighbourhood_id = hood_id,
                .response_id = response_ids[k],
                .giver_id = ask ? responders[k] : author,
                .receiver_id = ask ? author : responders[k],
                .category = topic.category,
                .hours = hours,
                .thanks = thanks,
                .completed_at = at(completed),
            });
          }
        }
        if (batch.posts.size() == PostBatch::kPosts) {
          if (!batches.push(std::move(batch))) return;
          batch = batches.spare();
        }
      }
      if (!batch.posts.empty()) batches.push(std::move(batch));
    } catch (...) {
      generator_failed = std::current_exception();
    }
    batches.close();
  });
  progress.begin("posts", options.posts);
  try {
    std::int64_t written = 0;
    while (auto batch = batches.pop()) {
      for (const auto& post : batch->posts) loader.add_post(post);
      for (const auto& response : batch->responses) loader.add_response(response);
      for (const auto& exchange : batch->exchanges) loader.add_exchange(exchange);
      written += static_cast<std::int64_t>(batch->posts.size());
      progress.update(written);
      batches.recycle(std::move(*batch));
    }
  } catch (...) {
    batches.abandon();
    generator.join();
    throw;
  }
  generator.join();
  if (generator_failed) std::rethrow_exception(generator_failed);
  progress.end(options.posts);
  counts.load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_started).count();

  // Each step of finish() is announced when it starts; its time is told
  // when the next one starts.
  std::string step_name;
  auto step_started = std::chrono::steady_clock::now();
  auto end_step = [&] {
    if (step_name.empty()) return;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - step_started;
    progress.note(fmt::format("  {} took {:.1f} s", step_name, took.count()));
  };
  loader.finish([&](std::string_view step) {
    end_step();
    step_name = step;
    step_started = std::chrono::steady_clock::now();
  });
  end_step();

  counts.regions = static_cast<std::int64_t>(region_sizes.size());
  counts.neighbourhoods = hood_count;
  counts.nearby_pairs = static_cast<std::int64_t>(pairs.size());
  counts.residents = options.residents;
  counts.posts = options.posts;
  counts.responses = response_id;
  counts.exchanges = exchange_id;
  counts.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return counts;
}

}  // namespace noaber
