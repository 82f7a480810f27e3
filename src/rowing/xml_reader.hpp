#pragma once
// A small streaming XML reader for TCX files: the document arrives in pieces (feed), and elements
// and text are handed to an XmlHandler as soon as they are complete, with namespace prefixes
// resolved to URIs. Written for speed (a 2-hour session is ~5 MB of XML; libexpat alone took
// 20 ms on it, this takes a few, docs/performance.md) and for hostile input (fuzz/tcx_fuzzer.cpp).
//
// What it checks (XML 1.0 well-formedness as far as a TCX needs): one root element, every start
// tag closed by a matching end tag, attributes quoted, prefixes declared (xmlns / xmlns:p, scoped to
// their element; `xml` is predeclared), entity references limited to the five predefined ones and
// character references of XML characters, nothing but comments, processing instructions and
// white space outside the root. A DOCTYPE is refused outright (no entity expansion, no external
// anything). The text is taken as UTF-8 (a UTF-8 byte order mark is skipped; a UTF-16 one refused).
// Not checked: duplicate attributes, name characters beyond the delimiters, UTF-8 validity.
//
// Memory: the current piece plus at most one unfinished markup token (limited to 64 KiB), the
// stack of open element names and the namespace declarations in scope.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::rowing {

struct XmlName {
    std::string_view uri;  // empty: no namespace
    std::string_view local;
};

struct XmlAttribute {
    XmlName name;            // an unprefixed attribute has no namespace
    std::string_view value;  // entity references replaced
};

// The receiver of a document's events. A handler's Error stops the reader; it is returned from
// feed()/finish() prefixed with the line.
class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual Result<void> on_start(const XmlName& name, const std::vector<XmlAttribute>& attributes) = 0;
    virtual Result<void> on_end() = 0;
    // Character data inside the root element, entity references replaced; one run of text may
    // arrive in several pieces.
    virtual Result<void> on_text(std::string_view text) = 0;
};

inline constexpr std::size_t k_max_xml_token = 64 * 1024;

class XmlReader {
public:
    explicit XmlReader(XmlHandler& handler) : m_handler(&handler) {}

    // Reads the next piece of the document. An Error "line N: …" (the line where the offending
    // markup starts) when the document is not well-formed or the handler refused; every later call
    // returns the same Error.
    Result<void> feed(std::string_view piece);
    // The document has ended: an Error when it is empty, unfinished or a token is cut off.
    Result<void> finish();

    // The line (from 1) of the markup being handled, for a handler's own messages.
    std::size_t line() const { return m_line; }

private:
    // Parses complete tokens of m_buffer from m_position; leaves an unfinished one.
    Result<void> parse(bool at_end);
    Result<void> text(std::string_view raw);
    Result<void> start_tag(std::string_view inside);  // between '<' and '>'
    Result<void> end_tag(std::string_view inside);    // between "</" and '>'
    Result<void> special(std::string_view token);     // "<?…?>", "<!--…-->", "<![CDATA[…]]>"
    Result<XmlName> resolve(std::string_view qualified, bool is_attribute) const;
    void bind(std::string_view prefix, std::string_view uri);
    Error fail(const std::string& message);

    XmlHandler* m_handler;
    std::string m_buffer;
    std::size_t m_position = 0;
    std::size_t m_line = 1;  // of the markup or text being handled
    bool m_started = false;  // the BOM check is done
    bool m_root_seen = false;
    bool m_root_closed = false;
    std::optional<Error> m_error;

    // Open elements: their qualified names, one after the other, and where each begins.
    std::string m_open_names;
    std::vector<std::size_t> m_open_starts;
    // Namespace declarations in scope: (prefix, uri) — the first m_binding_size entries — and how
    // many each open element added.
    std::vector<std::pair<std::string, std::string>> m_bindings;
    std::size_t m_binding_size = 0;
    std::vector<std::size_t> m_binding_counts;
    // Scratch space reused between tags.
    struct RawAttribute {
        std::string_view name, value;
    };
    static constexpr std::size_t k_max_attributes = 64;
    std::vector<RawAttribute> m_raw_attributes;
    std::vector<std::string_view> m_values;
    std::vector<XmlAttribute> m_attributes;
    std::vector<std::string> m_decoded_values;
    std::string m_decoded_text;
};

// `raw` with the five predefined entity references and character references replaced, appended to
// `out`; an Error naming a reference that is unknown, unterminated or not an XML character.
Result<void> decode_xml_references(std::string_view raw, std::string& out);

}  // namespace ble2garmin::rowing
