// Markdown must render usefully and never let script through.

#include <gtest/gtest.h>

#include "core/markdown.h"

namespace noaber {
namespace {

TEST(Markdown, RendersCommonFormatting) {
  const std::string html = render_markdown("**Boodschappen** op _dinsdag_\n\n- melk\n- brood");
  EXPECT_NE(html.find("<strong>Boodschappen</strong>"), std::string::npos);
  EXPECT_NE(html.find("<em>dinsdag</em>"), std::string::npos);
  EXPECT_NE(html.find("<li>melk</li>"), std::string::npos);
}

TEST(Markdown, AutolinksAndKeepsSafeLinks) {
  const std::string html = render_markdown("Zie https://www.zutphen.nl en [mail](mailto:a@b.nl)");
  EXPECT_NE(html.find("href=\"https://www.zutphen.nl\""), std::string::npos);
  EXPECT_NE(html.find("href=\"mailto:a@b.nl\""), std::string::npos);
}

TEST(Markdown, NeverPassesScriptOrDangerousUrls) {
  const char* attacks[] = {
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "[klik](javascript:alert(1))",
      "[klik](JaVaScRiPt:alert(1))",
      "[klik](data:text/html;base64,PHNjcmlwdD4=)",
      "![plaatje](data:image/png;base64,AAAA)",
      "[klik](vbscript:msgbox(1))",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<div onclick=\"alert(1)\">x</div>",
      "<iframe src=\"https://evil.example\"></iframe>",
  };
  for (const char* attack : attacks) {
    const std::string html = render_markdown(attack);
    EXPECT_EQ(html.find("<script"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("javascript:"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("JaVaScRiPt:"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("data:"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("vbscript:"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("onerror"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("<div"), std::string::npos) << attack << " -> " << html;
    EXPECT_EQ(html.find("<iframe"), std::string::npos) << attack << " -> " << html;
  }
}

TEST(Markdown, SurvivesInvalidUtf8) {
  const std::string html = render_markdown("kapot \xff\xfe tekst");
  EXPECT_NE(html.find("kapot"), std::string::npos);
}

}  // namespace
}  // namespace noaber
