#pragma once
// The 10,000 most common passwords, refused at sign-up (OWASP ASVS 2.1.7).
//
// Source: the first 10,000 entries, in frequency order, of the password list
// of zxcvbn (Dan Wheeler and Dropbox, MIT licence), as shipped in the npm
// package @zxcvbn-ts/language-common 4.1.3 (src/passwords.json); zxcvbn
// built it from Mark Burnett's corpus of ten million leaked passwords.
// The list is common_passwords.txt beside this file, one per line, compiled
// into the binary.

#include <string_view>

namespace noaber {

// Compared without regard to ASCII case: "Password1" is as weak as
// "password1".
bool is_common_password(std::string_view password);

}  // namespace noaber
