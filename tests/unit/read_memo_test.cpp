// The SQLite store's memo of hot reads on its own (store/sqlite/read_memo.h):
// an answer is given only at the generation it was read at, an older
// reading never replaces a newer one, update() changes a kept answer in
// place, and the memo stays within its capacity.

#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/read_memo.h"

namespace noaber::sqlite {
namespace {

using Memo = GenerationMemo<std::string, int, StringHash>;

TEST(GenerationMemo, AnswersOnlyAtTheGenerationItWasReadAt) {
  Memo memo(8);
  memo.put("a", 5, 1);
  EXPECT_EQ(memo.find(std::string_view("a"), 5), 1);
  EXPECT_FALSE(memo.find(std::string_view("a"), 6));
  EXPECT_FALSE(memo.find(std::string_view("a"), 4));
  EXPECT_FALSE(memo.find(std::string_view("b"), 5));
}

TEST(GenerationMemo, AnOlderReadingNeverReplacesANewerOne) {
  Memo memo(8);
  memo.put("a", 7, 70);
  memo.put("a", 6, 60);  // a slow reader, done after a faster one
  EXPECT_EQ(memo.find(std::string_view("a"), 7), 70);
  memo.put("a", 8, 80);
  EXPECT_EQ(memo.find(std::string_view("a"), 8), 80);
}

TEST(GenerationMemo, UpdateChangesTheKeptAnswerInPlace) {
  Memo memo(8);
  memo.put("a", 3, 1);
  memo.update(std::string_view("a"), [](int& v) { v += 10; });
  memo.update(std::string_view("missing"), [](int& v) { v = -1; });
  EXPECT_EQ(memo.find(std::string_view("a"), 3), 11);
  EXPECT_FALSE(memo.find(std::string_view("missing"), 3));
}

TEST(GenerationMemo, StaysWithinItsCapacityDroppingOldReadingsFirst) {
  Memo memo(4);
  memo.put("old-1", 1, 1);
  memo.put("old-2", 1, 2);
  memo.put("new-1", 2, 3);
  memo.put("new-2", 2, 4);
  memo.put("new-3", 2, 5);  // full: the generation-1 readings go
  EXPECT_EQ(memo.size(), 3u);
  EXPECT_EQ(memo.find(std::string_view("new-1"), 2), 3);
  EXPECT_EQ(memo.find(std::string_view("new-3"), 2), 5);
  memo.put("new-4", 2, 6);
  memo.put("new-5", 2, 7);  // full of current readings: it starts over
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.find(std::string_view("new-5"), 2), 7);
}

TEST(GenerationMemo, WithNoCapacityKeepsNothing) {
  Memo memo(0);
  memo.put("a", 1, 1);
  EXPECT_EQ(memo.size(), 0u);
  EXPECT_FALSE(memo.find(std::string_view("a"), 1));
}

}  // namespace
}  // namespace noaber::sqlite
