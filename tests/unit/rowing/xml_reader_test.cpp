#include "rowing/xml_reader.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "rowing/tcx_reader.hpp"

namespace ble2garmin::rowing {
namespace {

// Writes the events as text: "<{uri}local a={uri}name=value>" "text" "</>".
class Recorder final : public XmlHandler {
public:
    Result<void> on_start(const XmlName& name, const std::vector<XmlAttribute>& attributes) override
    {
        events += "<{" + std::string(name.uri) + "}" + std::string(name.local);
        for (const XmlAttribute& attribute : attributes) {
            events += " {" + std::string(attribute.name.uri) + "}" + std::string(attribute.name.local) + "=" +
                      std::string(attribute.value);
        }
        events += ">";
        return {};
    }
    Result<void> on_end() override
    {
        events += "</>";
        return {};
    }
    Result<void> on_text(std::string_view text) override
    {
        events += text;
        return {};
    }
    std::string events;
};

// The events of `document` fed in pieces of `piece` bytes, or the error.
std::string read(std::string_view document, std::size_t piece = 1 << 16)
{
    Recorder recorder;
    XmlReader reader(recorder);
    for (std::size_t at = 0; at < document.size(); at += piece) {
        if (auto fed = reader.feed(document.substr(at, piece)); !fed) {
            return "error: " + fed.error().message;
        }
    }
    if (auto finished = reader.finish(); !finished) {
        return "error: " + finished.error().message;
    }
    return recorder.events;
}

TEST(XmlReader, NamespacesAreScopedToTheirElement)
{
    EXPECT_EQ(read("<?xml version='1.0'?><!-- c --><a xmlns='urn:a' xmlns:p=\"urn:p\"><p:b p:x='1' y=\"2\"/>"
                   "<c xmlns='urn:c'><d/></c><e xmlns=''/><f/></a>"),
              "<{urn:a}a><{urn:p}b {urn:p}x=1 {}y=2></><{urn:c}c><{urn:c}d></></><{}e></><{urn:a}f></></>");
    EXPECT_EQ(read("<a xmlns:p='urn:1'><p:b xmlns:p='urn:2'/><p:c/></a>"),
              "<{}a><{urn:2}b></><{urn:1}c></></>");
    EXPECT_EQ(read("<a xml:lang='en'/>"), "<{}a {http://www.w3.org/XML/1998/namespace}lang=en></>");
}

TEST(XmlReader, ReferencesCdataAndQuotedGreaterThan)
{
    EXPECT_EQ(read("<a t='x &gt; &#x41;&#66;'>1 &lt; 2 &amp;&amp; &quot;&apos; <![CDATA[<b>&amp;]]></a>"),
              "<{}a {}t=x > AB>1 < 2 && \"' <b>&amp;</>");
    EXPECT_EQ(read("<a t=\"1>0\" u='\"'/>"), "<{}a {}t=1>0 {}u=\"></>");
    EXPECT_EQ(read("\xEF\xBB\xBF<a>\xC3\xA9</a>"), "<{}a>\xC3\xA9</>");  // BOM skipped, UTF-8 kept
}

TEST(XmlReader, EveryPieceSizeGivesTheSameEvents)
{
    const std::string document =
        "<?xml version='1.0'?>\n<r xmlns='urn:r' xmlns:x='urn:x'>\n  <x:v a='1 &amp; 2'>4.5</x:v><!-- -- "
        "-->\n"
        "  <w>&#x3C;&lt;<![CDATA[]]>z</w>\n</r>\n";
    const std::string whole = read(document);
    ASSERT_EQ(whole.rfind("error", 0), std::string::npos) << whole;
    for (std::size_t piece = 1; piece < document.size(); ++piece) {
        EXPECT_EQ(read(document, piece), whole) << "piece " << piece;
    }
}

TEST(XmlReader, TheCoxswainFileInOddPiecesReadsAsInOne)
{
    std::ifstream file(std::string(BLE2GARMIN_TEST_DATA_DIR) + "/rowing/coxswain_10k.tcx", std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    const std::string whole = read(text.str());
    ASSERT_EQ(whole.rfind("error", 0), std::string::npos) << whole.substr(0, 200);
    EXPECT_EQ(read(text.str(), 997), whole);
    EXPECT_EQ(read(text.str(), 4093), whole);
}

struct Malformed {
    const char* name;
    const char* document;
    const char* error;
};

class XmlReaderRejects : public ::testing::TestWithParam<Malformed> {};

TEST_P(XmlReaderRejects, WithLineAndReason)
{
    EXPECT_EQ(read(GetParam().document), std::string("error: ") + GetParam().error);
    // The same error however the document is cut into pieces.
    EXPECT_EQ(read(GetParam().document, 3), std::string("error: ") + GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Documents, XmlReaderRejects,
    ::testing::Values(Malformed{"empty", "", "line 1: no element found"},
                      Malformed{"only_space", " \n\n ", "line 3: no element found"},
                      Malformed{"unclosed", "<a>\n<b>\n", "line 3: unclosed element <b>"},
                      Malformed{"mismatch", "<a>\n<b></a>", "line 2: mismatched tag: </a> closes <b>"},
                      Malformed{"stray_end", "<a/>\n</a>", "line 2: end tag </a> without a start tag"},
                      Malformed{"two_roots", "<a/>\n<b/>", "line 2: a second root element <b>"},
                      Malformed{"text_outside", "x<a/>", "line 1: text outside the root element"},
                      Malformed{"cut_tag", "<a>\n<b c='1'", "line 2: the file ends inside markup"},
                      Malformed{"unbound_prefix", "<p:a/>", "line 1: undeclared namespace prefix 'p'"},
                      Malformed{"unbind_prefix", "<a xmlns:p=''/>",
                                "line 1: the namespace prefix 'p' is bound to nothing"},
                      Malformed{"doctype", "<?xml version='1.0'?>\n<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
                                "line 2: a DOCTYPE is not allowed in a TCX file"},
                      Malformed{"unknown_entity", "<a>\n\n<b>&e;</b></a>", "line 3: unknown reference &e;"},
                      Malformed{"bad_char_ref", "<a>&#0;</a>", "line 1: unknown reference &#0;"},
                      Malformed{"unterminated_ref", "<a>&amp</a>", "line 1: unterminated reference '&'"},
                      Malformed{"unquoted", "<a b=1/>", "line 1: malformed attribute in <a>"},
                      Malformed{"no_space", "<a b='1'c='2'/>",
                                "line 1: attributes of <a> must be separated by white space"},
                      Malformed{"lt_in_value", "<a b='<'/>", "line 1: '<' in an attribute value"},
                      Malformed{"lt_in_tag", "<a <b/>", "line 1: '<' inside a tag"},
                      Malformed{"utf16", "\xFF\xFE<\0a\0/\0>\0",
                                "line 1: the file is UTF-16; only UTF-8 TCX files are read"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(XmlReader, OverlongMarkupIsRefused)
{
    const std::string document = "<a b='" + std::string(k_max_xml_token + 10, 'x') + "'/>";
    EXPECT_EQ(read(document, 4096), "error: line 1: markup longer than 64 KiB");
    EXPECT_EQ(read(document), "error: line 1: markup longer than 64 KiB");
}

TEST(XmlReader, LongTextArrivesInPieces)
{
    const std::string text(3 * k_max_xml_token, 'y');
    EXPECT_EQ(read("<a>" + text + "&amp;</a>", 1000), "<{}a>" + text + "&</>");
}

}  // namespace
}  // namespace ble2garmin::rowing
