#include "app/seed_demo.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace noaber {
namespace {

struct DemoNeighbourhood {
  const char* name;
  double lat;
  double lon;
};

// Three neighbourhoods of Zutphen; the first two lie within 2 km of each
// other, so their "nearby" posts reach each other.
constexpr DemoNeighbourhood kNeighbourhoods[] = {
    {"Binnenstad", 52.1395, 6.1960},
    {"De Hoven", 52.1340, 6.1800},
    {"Leesten", 52.1210, 6.2230},
};

struct DemoPerson {
  const char* first_name;
  const char* email_name;
  int neighbourhood;  // index into kNeighbourhoods
};

// The first person of each neighbourhood founds it and manages it.
constexpr DemoPerson kPeople[] = {
    {"Anna de Vries", "anna", 0},      {"Kees Jansen", "kees", 1},
    {"Fatima El Amrani", "fatima", 2}, {"Henk Bos", "henk", 0},
    {"Sanne Visser", "sanne", 0},      {"Mohammed Yilmaz", "mohammed", 0},
    {"Joke Smit", "joke", 0},          {"Pieter Mulder", "pieter", 0},
    {"Lotte de Boer", "lotte", 0},     {"Gerrit Meijer", "gerrit", 0},
    {"Ineke de Groot", "ineke", 0},    {"Daan Bakker", "daan", 0},
    {"Wilma Hendriks", "wilma", 1},    {"Bram van Dijk", "bram", 1},
    {"Priya Sharma", "priya", 1},      {"Jan Dekker", "jan", 1},
    {"Marieke Kok", "marieke", 1},     {"Tom Peters", "tom", 1},
    {"Ans Willems", "ans", 1},         {"Youssef Haddou", "youssef", 1},
    {"Els Vos", "els", 2},             {"Ruud Brouwer", "ruud", 2},
    {"Nina Kuipers", "nina", 2},       {"Bert van Leeuwen", "bert", 2},
    {"Maria Santos", "maria", 2},      {"Harm Kroon", "harm", 2},
    {"Lieke Wouters", "lieke", 2},     {"Cor Verbeek", "cor", 2},
    {"Emma Maas", "emma", 0},          {"Sem Schouten", "sem", 1},
};

struct DemoPost {
  int author;  // index into kPeople
  const char* kind;
  const char* category;
  const char* title;
  const char* body;
  const char* visibility;
  int responder = -1;        // -1: nobody responded yet
  const char* response = "";
  bool accepted = false;
  bool completed = false;
  const char* thanks = "";
  double hours = 0;
};

const std::vector<DemoPost>& demo_posts() {
  static const std::vector<DemoPost> posts = {
      {6, "ask", "care", "Boodschappen deze week",
       "Ik ben geopereerd aan mijn heup en kan een paar weken niet fietsen. Wie wil er "
       "**dinsdag of donderdag** boodschappen voor me doen bij de Albert Heijn?",
       "neighbourhood", 4, "Ik fiets dinsdag toch langs, ik neem ze mee!", true, true,
       "Dank je wel Sanne, wat fijn dat je even bleef voor een kop koffie.", 1.5},
      {3, "offer", "goods", "Ladder te leen (4 meter)",
       "Aluminium ladder, handig voor dakgoten en ramen. Even aanbellen op de Houtmarkt.",
       "nearby", 13, "Mag ik hem zaterdag lenen voor de dakgoot?", true, true,
       "Top ladder, en Henk hielp nog even mee ook.", 0},
      {7, "ask", "knowledge", "Hulp bij belastingaangifte",
       "Wie kan mij helpen met de aangifte inkomstenbelasting? Ik kom er met de "
       "toeslagen niet uit.",
       "neighbourhood", 11, "Ik doe dit voor mijn ouders elk jaar, ik help je graag.", true,
       true, "Daan legde alles rustig uit. Nu snap ik het zelf ook.", 2},
      {9, "offer", "contacts", "Wandelmaatje gezocht voor de ochtend",
       "Ik wandel elke ochtend om half negen een uur langs de IJssel. Wie loopt er mee?",
       "nearby", 18, "Leuk! Ik ben net verhuisd en ken nog bijna niemand.", true, false, "", 0},
      {1, "offer", "money", "Buurtbarbecue: bijdrage voor de huur van de tent",
       "We organiseren in juni een barbecue op het pleintje. Wie wil meebetalen aan de "
       "tent? Elke euro helpt.",
       "region", 2, "We doen vanuit Leesten graag mee met vijftig euro.", false, false, "", 0},
      {12, "ask", "goods", "Kinderfietsje (4-6 jaar)",
       "Onze dochter is eruit gegroeid. Heeft iemand een fietsje dat ongebruikt in de "
       "schuur staat?",
       "neighbourhood", 15, "Wij hebben nog een rood fietsje met zijwieltjes.", true, true,
       "Ze fietst er al trots mee rond. Dankjewel Jan!", 0},
      {14, "offer", "knowledge", "Bijles Engels voor middelbare scholieren",
       "Ik ben lerares Engels en geef graag een uur per week bijles, gratis voor buren.",
       "nearby", -1},
      {20, "ask", "care", "Iemand die mijn kat voert in de kerstvakantie",
       "Ik ben van 22 december tot 2 januari bij mijn dochter. Wie wil Minoes voeren?",
       "neighbourhood", 22, "Ik woon om de hoek, ik doe het graag.", true, false, "", 0},
      {21, "offer", "goods", "Gratis af te halen: stekjes van mijn vijgenboom",
       "Tien stekjes in potjes, klaar om te planten.", "neighbourhood", 26,
       "Ik wil er graag twee!", true, true, "Ze staan al in de tuin, dank je Ruud.", 0},
      {24, "ask", "knowledge", "Wie kan mijn wasmachine repareren?",
       "Hij pompt het water niet meer weg. Ik ben handig, maar weet niet waar te beginnen.",
       "nearby", 25, "Waarschijnlijk het pompfilter. Ik kom vanavond even kijken.", true, true,
       "Harm had het in tien minuten gemaakt. Geen monteur nodig!", 1},
      {5, "ask", "contacts", "Nederlands oefenen",
       "Ik wil mijn Nederlands verbeteren. Wie wil een keer per week een uurtje praten?",
       "neighbourhood", 10, "Ik ben gepensioneerd en heb alle tijd. Koffie bij mij?", true,
       true, "Ineke is geduldig en we lachen veel.", 1},
      {8, "ask", "goods", "Boormachine lenen",
       "Voor een paar gaatjes in beton. Ik breng hem dezelfde dag terug.", "neighbourhood", -1},
      {16, "ask", "care", "Vervoer naar het ziekenhuis in Deventer",
       "Volgende week woensdag om 10 uur heb ik een afspraak. Wie kan mij brengen?",
       "nearby", 4, "Ik kan je brengen, ik werk die dag thuis.", false, false, "", 0},
      {26, "offer", "care", "Koken voor wie even niet kan",
       "Ik kook graag en maak op vrijdag een extra pan soep voor wie ziek of druk is.",
       "neighbourhood", -1},
      {0, "offer", "contacts", "Welkomstkoffie voor nieuwe buren",
       "Nieuw in de Binnenstad? Elke eerste zaterdag van de maand koffie in de "
       "buurtkamer.",
       "neighbourhood", -1},
  };
  return posts;
}

bool waits_for_approval(std::size_t person) { return person + 3 >= std::size(kPeople); }

template <typename T>
T must(Result<T> result, const std::string& what) {
  if (!result)
    throw std::runtime_error("demo seed failed at " + what + ": " + result.error().message);
  return std::move(*result);
}

}  // namespace

bool seed_demo(App& app, std::ostream& out) {
  if (auto existing = app.store().find_credentials("anna@example.org"); existing) {
    out << "The demo data is there already; nothing to do.\n";
    return false;
  }

  std::vector<UserId> users;
  for (const auto& p : kPeople) {
    RegisterInput input{std::string(p.email_name) + "@example.org", std::string(kDemoPassword),
                        p.first_name, "nl"};
    users.push_back(must(app.accounts().register_user(input, "seed"), input.email).user.id);
  }

  std::vector<NeighbourhoodId> hoods;
  for (std::size_t i = 0; i < std::size(kNeighbourhoods); ++i) {
    const auto& n = kNeighbourhoods[i];
    hoods.push_back(must(app.neighbourhoods().found(
                             users[i], NeighbourhoodInput{n.name, "Zutphen", n.lat, n.lon}),
                         n.name)
                        .id);
  }
  // Most join with an invite from their manager; the last three people (one
  // per neighbourhood) asked to join and wait, so managers have work to do.
  for (std::size_t i = std::size(kNeighbourhoods); i < std::size(kPeople); ++i) {
    const int n = kPeople[i].neighbourhood;
    if (waits_for_approval(i)) {
      must(app.neighbourhoods().join(users[i], hoods[n], std::nullopt), "join");
    } else {
      auto invite = must(app.neighbourhoods().create_invite(users[n], hoods[n]), "invite");
      auto joined = must(app.neighbourhoods().join(users[i], hoods[n], invite.code), "join");
      if (joined.invite_code_rejected) throw std::runtime_error("demo seed: invite refused");
    }
  }

  int posts = 0, exchanges = 0;
  for (const auto& p : demo_posts()) {
    const int hood = kPeople[p.author].neighbourhood;
    PostInput input{p.kind, p.category, p.title, p.body, std::string(p.visibility),
                    std::nullopt};
    auto view = must(app.market().create_post(users[p.author], hoods[hood], input), p.title);
    ++posts;
    if (p.responder < 0) continue;
    auto response = must(app.market().respond(users[p.responder], view.post.id, p.response),
                         std::string("response to ") + p.title);
    if (!p.accepted) continue;
    must(app.market().accept(users[p.author], response.id), "accept");
    if (!p.completed) continue;
    CompleteInput done{std::string(p.thanks),
                       p.hours > 0 ? std::optional<double>(p.hours) : std::nullopt};
    exchanges += static_cast<int>(
        must(app.market().complete(users[p.author], view.post.id, done), "complete")
            .exchanges.size());
  }

  out << "Demo data: 1 region, " << hoods.size() << " neighbourhoods, " << users.size()
      << " residents, " << posts << " asks and offers, " << exchanges
      << " exchanges with thanks.\n"
      << "Log in with any of these (password for all: " << kDemoPassword << "):\n";
  for (std::size_t i = 0; i < std::size(kPeople); ++i) {
    const auto& p = kPeople[i];
    const char* role = i < std::size(kNeighbourhoods) ? "manager"
                       : waits_for_approval(i)        ? "waiting for approval"
                                                      : "resident";
    out << "  " << p.email_name << "@example.org  " << p.first_name << " (" << role << ", "
        << kNeighbourhoods[p.neighbourhood].name << ")\n";
  }
  return true;
}

}  // namespace noaber
