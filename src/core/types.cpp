#include "core/types.h"

#include <array>
#include <utility>

namespace noaber {
namespace {

// One table per enum keeps the wire name and the value side by side.
template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Locale, 2> kLocales{{{Locale::nl, "nl"}, {Locale::en, "en"}}};
constexpr Names<Role, 3> kRoles{{{Role::resident, "resident"},
                                 {Role::manager, "manager"},
                                 {Role::professional, "professional"}}};
constexpr Names<MemberStatus, 3> kMemberStatuses{
    {{MemberStatus::pending, "pending"},
     {MemberStatus::verified, "verified"},
     {MemberStatus::suspended, "suspended"}}};
constexpr Names<PostKind, 2> kPostKinds{
    {{PostKind::ask, "ask"}, {PostKind::offer, "offer"}}};
constexpr Names<Category, 5> kCategories{{{Category::goods, "goods"},
                                          {Category::knowledge, "knowledge"},
                                          {Category::money, "money"},
                                          {Category::contacts, "contacts"},
                                          {Category::care, "care"}}};
constexpr Names<Visibility, 3> kVisibilities{
    {{Visibility::neighbourhood, "neighbourhood"},
     {Visibility::nearby, "nearby"},
     {Visibility::region, "region"}}};
constexpr Names<PostStatus, 5> kPostStatuses{{{PostStatus::open, "open"},
                                              {PostStatus::promised, "promised"},
                                              {PostStatus::done, "done"},
                                              {PostStatus::closed, "closed"},
                                              {PostStatus::expired, "expired"}}};
constexpr Names<ResponseStatus, 2> kResponseStatuses{
    {{ResponseStatus::pending, "pending"},
     {ResponseStatus::accepted, "accepted"}}};

template <typename E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, std::string_view name) {
  for (const auto& [v, n] : names)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Locale v) { return name_of(kLocales, v); }
std::string_view to_string(Role v) { return name_of(kRoles, v); }
std::string_view to_string(MemberStatus v) { return name_of(kMemberStatuses, v); }
std::string_view to_string(PostKind v) { return name_of(kPostKinds, v); }
std::string_view to_string(Category v) { return name_of(kCategories, v); }
std::string_view to_string(Visibility v) { return name_of(kVisibilities, v); }
std::string_view to_string(PostStatus v) { return name_of(kPostStatuses, v); }
std::string_view to_string(ResponseStatus v) { return name_of(kResponseStatuses, v); }

std::optional<Locale> parse_locale(std::string_view s) { return value_of(kLocales, s); }
std::optional<Role> parse_role(std::string_view s) { return value_of(kRoles, s); }
std::optional<MemberStatus> parse_member_status(std::string_view s) {
  return value_of(kMemberStatuses, s);
}
std::optional<PostKind> parse_post_kind(std::string_view s) { return value_of(kPostKinds, s); }
std::optional<Category> parse_category(std::string_view s) { return value_of(kCategories, s); }
std::optional<Visibility> parse_visibility(std::string_view s) {
  return value_of(kVisibilities, s);
}
std::optional<PostStatus> parse_post_status(std::string_view s) {
  return value_of(kPostStatuses, s);
}
std::optional<ResponseStatus> parse_response_status(std::string_view s) {
  return value_of(kResponseStatuses, s);
}

bool is_connector(const Membership& m) {
  if (m.status != MemberStatus::verified) return false;
  return m.role == Role::manager || (m.role == Role::resident && m.connector_since.has_value());
}

}  // namespace noaber
