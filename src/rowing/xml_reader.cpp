#include "rowing/xml_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace ble2garmin::rowing {
namespace {

constexpr std::string_view k_xml_namespace = "http://www.w3.org/XML/1998/namespace";

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Hand-written scans: string_view's find_first_of runs memchr over the set for every character.
std::size_t first_space(std::string_view text, std::size_t from = 0)
{
    for (std::size_t i = from; i < text.size(); ++i) {
        if (is_space(text[i])) {
            return i;
        }
    }
    return std::string_view::npos;
}

std::size_t first_non_space(std::string_view text, std::size_t from = 0)
{
    for (std::size_t i = from; i < text.size(); ++i) {
        if (!is_space(text[i])) {
            return i;
        }
    }
    return std::string_view::npos;
}

std::size_t last_non_space(std::string_view text)
{
    for (std::size_t i = text.size(); i > 0; --i) {
        if (!is_space(text[i - 1])) {
            return i - 1;
        }
    }
    return std::string_view::npos;
}

bool all_space(std::string_view text)
{
    return first_non_space(text) == std::string_view::npos;
}

// A name as far as the reader cares: not empty, none of the characters that delimit markup.
bool is_name(std::string_view name)
{
    if (name.empty()) {
        return false;
    }
    for (const char c : name) {
        switch (c) {
            case '<':
            case '>':
            case '&':
            case '"':
            case '\'':
            case '=':
            case '/':
            case ' ':
            case '\t':
            case '\r':
            case '\n':
                return false;
            default:
                break;
        }
    }
    return true;
}

// XML 1.0 Char production.
bool is_xml_char(std::uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

void append_utf8(std::uint32_t c, std::string& out)
{
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The code point of a character reference's digits ("#123" / "#x7B"), or 0 when invalid.
std::uint32_t character_reference(std::string_view reference)
{
    const bool hex = reference.size() > 1 && reference[1] == 'x';
    const std::string_view digits = reference.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) {
        return 0;
    }
    std::uint32_t value = 0;
    for (const char c : digits) {
        std::uint32_t digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<std::uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
            digit = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
            digit = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
            return 0;
        }
        value = value * (hex ? 16 : 10) + digit;
    }
    return is_xml_char(value) ? value : 0;
}

// Newlines in `text` (comments, CDATA, a text run cut short), eight bytes at a time: a byte of x = word ^
// 0x0A… is zero exactly where the word has '\n', and
// ~(((x & 0x7F…) + 0x7F…) | x | 0x7F…) has its high bit set exactly in those bytes (no carry
// crosses a byte, so there are no false matches).
std::size_t count_newlines(std::string_view text)
{
    constexpr std::uint64_t k_newlines = 0x0A0A'0A0A'0A0A'0A0AULL;
    constexpr std::uint64_t k_low_bits = 0x7F7F'7F7F'7F7F'7F7FULL;
    std::size_t count = 0;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + i, 8);
        const std::uint64_t x = word ^ k_newlines;
        const std::uint64_t zero_bytes = ~(((x & k_low_bits) + k_low_bits) | x | k_low_bits);
        // One bit per match at bit 7 of its byte: shifted to bit 0 and summed by a multiplication
        // into the top byte (at most 8), cheaper than a popcount without the instruction.
        count += static_cast<std::size_t>(((zero_bytes >> 7) * 0x0101'0101'0101'0101ULL) >> 56);
    }
    for (; i < text.size(); ++i) {
        count += text[i] == '\n' ? 1U : 0U;
    }
    return count;
}

}  // namespace

Result<void> decode_xml_references(std::string_view raw, std::string& out)
{
    std::size_t from = 0;
    while (true) {
        const auto amp = raw.find('&', from);
        out.append(raw.substr(from, amp - from));
        if (amp == std::string_view::npos) {
            return {};
        }
        const auto semicolon = raw.find(';', amp);
        if (semicolon == std::string_view::npos || semicolon - amp > 12) {
            return make_error("unterminated reference '&'");
        }
        const std::string_view name = raw.substr(amp + 1, semicolon - amp - 1);
        if (name == "lt") {
            out += '<';
        } else if (name == "gt") {
            out += '>';
        } else if (name == "amp") {
            out += '&';
        } else if (name == "quot") {
            out += '"';
        } else if (name == "apos") {
            out += '\'';
        } else if (!name.empty() && name[0] == '#' && character_reference(name) != 0) {
            append_utf8(character_reference(name), out);
        } else {
            return make_error("unknown reference &" + std::string(name) + ";");
        }
        from = semicolon + 1;
    }
}

Error XmlReader::fail(const std::string& message)
{
    m_error = make_error("line " + std::to_string(m_line) + ": " + message);
    return *m_error;
}

Result<void> XmlReader::feed(std::string_view piece)
{
    if (m_error) {
        return *m_error;
    }
    m_buffer.erase(0, m_position);
    m_position = 0;
    m_buffer.append(piece);
    return parse(false);
}

Result<void> XmlReader::finish()
{
    if (m_error) {
        return *m_error;
    }
    if (auto parsed = parse(true); !parsed) {
        return parsed;
    }
    if (!m_root_seen) {
        return fail("no element found");
    }
    if (!m_open_starts.empty()) {
        return fail("unclosed element <" + m_open_names.substr(m_open_starts.back()) + ">");
    }
    return {};
}

Result<void> XmlReader::parse(bool at_end)
{
    const std::string_view data(m_buffer);
    std::size_t pos = m_position;
    if (!m_started) {
        if (data.size() < 3 && !at_end) {
            return {};
        }
        m_started = true;
        if (data.starts_with("\xEF\xBB\xBF")) {
            pos = 3;
        } else if (data.starts_with("\xFE\xFF") || data.starts_with("\xFF\xFE")) {
            return fail("the file is UTF-16; only UTF-8 TCX files are read");
        }
    }
    // Lines are counted in the same pass that looks for the end of each text run or tag (a separate
    // count, and memchr calls for the short runs between tags, were a fifth of the reader's time).
    while (pos < data.size()) {
        if (data[pos] != '<') {
            std::size_t next = pos;
            std::size_t newlines = 0;
            while (next < data.size() && data[next] != '<') {
                newlines += data[next] == '\n' ? 1U : 0U;
                ++next;
            }
            if (next == data.size()) {
                if (!at_end && data.size() - pos <= k_max_xml_token) {
                    break;  // the text may go on in the next piece
                }
                // Do not cut a reference in two.
                const auto amp = data.rfind('&');
                if (!at_end && amp != std::string_view::npos && amp > pos &&
                    data.find(';', amp) == std::string_view::npos) {
                    next = amp;
                    newlines = count_newlines(data.substr(pos, next - pos));
                }
            }
            if (auto handled = text(data.substr(pos, next - pos)); !handled) {
                return m_error ? *m_error : fail(handled.error().message);
            }
            m_line += newlines;
            pos = next;
            continue;
        }
        const std::string_view rest = data.substr(pos);
        // Which kind of markup, once enough of it is there to tell.
        if (rest.size() < 9 && !at_end && (rest.size() < 2 || rest[1] == '!')) {
            break;
        }
        std::size_t end = std::string_view::npos;  // one past the token's last character
        std::size_t newlines = 0;
        enum class Kind { start_tag, end_tag, special } kind = Kind::start_tag;
        if (rest.size() >= 2 && rest[1] == '/') {
            kind = Kind::end_tag;
            for (std::size_t i = 2; i < rest.size(); ++i) {
                if (rest[i] == '>') {
                    end = i + 1;
                    break;
                }
                newlines += rest[i] == '\n' ? 1U : 0U;
            }
        } else if (rest.starts_with("<?") || rest.starts_with("<!--") || rest.starts_with("<![CDATA[")) {
            kind = Kind::special;
            const std::string_view close = rest[1] == '?' ? "?>" : rest[2] == '-' ? "-->" : "]]>";
            if (const auto at = rest.find(close, 2); at != std::string_view::npos) {
                end = at + close.size();
                newlines = count_newlines(rest.substr(0, end));
            }
        } else if (rest.starts_with("<!DOCTYPE")) {
            return fail("a DOCTYPE is not allowed in a TCX file");
        } else if (rest.starts_with("<!")) {
            return fail("unknown markup '<!'");
        } else {
            // A start tag ends at the first '>' outside a quoted attribute value.
            char quote = 0;
            for (std::size_t i = 1; i < rest.size(); ++i) {
                const char c = rest[i];
                if (c == '\n') {
                    ++newlines;
                } else if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '>') {
                    end = i + 1;
                    break;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '<') {
                    return fail("'<' inside a tag");
                }
            }
        }
        if (end != std::string_view::npos && end > k_max_xml_token) {
            return fail("markup longer than " + std::to_string(k_max_xml_token / 1024) + " KiB");
        }
        if (end == std::string_view::npos) {
            if (rest.size() > k_max_xml_token) {
                return fail("markup longer than " + std::to_string(k_max_xml_token / 1024) + " KiB");
            }
            if (at_end) {
                return fail("the file ends inside markup");
            }
            break;
        }
        const std::string_view token = rest.substr(0, end);
        Result<void> handled;
        switch (kind) {
            case Kind::start_tag:
                handled = start_tag(token.substr(1, token.size() - 2));
                break;
            case Kind::end_tag:
                handled = end_tag(token.substr(2, token.size() - 3));
                break;
            case Kind::special:
                handled = special(token);
                break;
        }
        if (!handled) {
            return m_error ? *m_error : fail(handled.error().message);
        }
        m_line += newlines;
        pos += end;
    }
    m_position = pos;
    return {};
}

Result<void> XmlReader::text(std::string_view raw)
{
    if (!m_root_seen || m_root_closed) {
        return all_space(raw) ? Result<void>{} : fail("text outside the root element");
    }
    if (raw.find('&') == std::string_view::npos) {
        return m_handler->on_text(raw);
    }
    m_decoded_text.clear();
    if (auto decoded = decode_xml_references(raw, m_decoded_text); !decoded) {
        return fail(decoded.error().message);
    }
    return m_handler->on_text(m_decoded_text);
}

Result<void> XmlReader::special(std::string_view token)
{
    if (!token.starts_with("<![CDATA[")) {
        return {};  // comments and processing instructions (the XML declaration among them) carry nothing
    }
    if (!m_root_seen || m_root_closed) {
        return fail("CDATA outside the root element");
    }
    return m_handler->on_text(token.substr(9, token.size() - 12));
}

Result<XmlName> XmlReader::resolve(std::string_view qualified, bool is_attribute) const
{
    const auto colon = qualified.find(':');
    if (colon == std::string_view::npos) {
        if (is_attribute) {
            return XmlName{{}, qualified};
        }
        for (std::size_t i = m_binding_size; i > 0; --i) {
            if (m_bindings[i - 1].first.empty()) {
                return XmlName{m_bindings[i - 1].second, qualified};
            }
        }
        return XmlName{{}, qualified};
    }
    const std::string_view prefix = qualified.substr(0, colon);
    const std::string_view local = qualified.substr(colon + 1);
    if (prefix.empty() || local.empty() || local.find(':') != std::string_view::npos) {
        return make_error("'" + std::string(qualified) + "' is not a valid name");
    }
    if (prefix == "xml") {
        return XmlName{k_xml_namespace, local};
    }
    for (std::size_t i = m_binding_size; i > 0; --i) {
        if (m_bindings[i - 1].first == prefix) {
            return XmlName{m_bindings[i - 1].second, local};
        }
    }
    return make_error("undeclared namespace prefix '" + std::string(prefix) + "'");
}

void XmlReader::bind(std::string_view prefix, std::string_view uri)
{
    // Entries beyond m_binding_size are kept and reused, so that the declaration every Coxswain
    // trackpoint repeats (<TPX xmlns="…">) costs no allocation.
    if (m_binding_size == m_bindings.size()) {
        m_bindings.emplace_back();
    }
    m_bindings[m_binding_size].first.assign(prefix);
    m_bindings[m_binding_size].second.assign(uri);
    ++m_binding_size;
}

Result<void> XmlReader::start_tag(std::string_view inside)
{
    const bool empty_element = !inside.empty() && inside.back() == '/';
    if (empty_element) {
        inside.remove_suffix(1);
    }
    const auto name_end = std::min(first_space(inside), inside.size());
    const std::string_view qualified = inside.substr(0, name_end);
    if (!is_name(qualified)) {
        return fail("'<" + std::string(inside.substr(0, 32)) + "' is not a start tag");
    }
    if (m_root_closed) {
        return fail("a second root element <" + std::string(qualified) + ">");
    }
    m_root_seen = true;

    // Attributes: name = "value" | 'value'.
    // (Member vectors, cleared: arrays on the stack were zero-filled for every tag.)
    std::vector<RawAttribute>& raw = m_raw_attributes;
    raw.clear();
    std::size_t at = name_end;
    while (true) {
        at = first_non_space(inside, at);
        if (at == std::string_view::npos) {
            break;
        }
        if (at == name_end || !is_space(inside[at - 1])) {
            return fail("attributes of <" + std::string(qualified) + "> must be separated by white space");
        }
        const auto equals = inside.find('=', at);
        if (equals == std::string_view::npos) {
            return fail("attribute without a value in <" + std::string(qualified) + ">");
        }
        std::string_view name = inside.substr(at, equals - at);
        name = name.substr(0, std::min(first_space(name), name.size()));
        if (!all_space(inside.substr(at + name.size(), equals - at - name.size()))) {
            return fail("malformed attribute in <" + std::string(qualified) + ">");
        }
        const auto quote_at = first_non_space(inside, equals + 1);
        if (!is_name(name) || quote_at == std::string_view::npos ||
            (inside[quote_at] != '"' && inside[quote_at] != '\'')) {
            return fail("malformed attribute in <" + std::string(qualified) + ">");
        }
        const auto close = inside.find(inside[quote_at], quote_at + 1);
        if (close == std::string_view::npos) {
            return fail("unterminated attribute value in <" + std::string(qualified) + ">");
        }
        const std::string_view value = inside.substr(quote_at + 1, close - quote_at - 1);
        if (value.find('<') != std::string_view::npos) {
            return fail("'<' in an attribute value");
        }
        if (raw.size() == k_max_attributes) {
            return fail("more than " + std::to_string(k_max_attributes) + " attributes in <" +
                        std::string(qualified) + ">");
        }
        raw.push_back({name, value});
        at = close + 1;
    }

    // Values with their references replaced (only those that have any: the rest are used in place;
    // m_decoded_values is sized first because the views point into it).
    const std::size_t count = raw.size();
    m_decoded_values.resize(std::max(m_decoded_values.size(), count));
    std::vector<std::string_view>& values = m_values;
    values.resize(count);
    std::size_t declared = 0;
    for (std::size_t i = 0; i < count; ++i) {
        values[i] = raw[i].value;
        if (values[i].find('&') != std::string_view::npos) {
            m_decoded_values[i].clear();
            if (auto decoded = decode_xml_references(raw[i].value, m_decoded_values[i]); !decoded) {
                return fail(decoded.error().message);
            }
            values[i] = m_decoded_values[i];
        }
        const std::string_view name = raw[i].name;
        if (name == "xmlns" || name.starts_with("xmlns:")) {
            const std::string_view prefix = name.size() > 5 ? name.substr(6) : std::string_view{};
            if (!prefix.empty() && values[i].empty()) {
                return fail("the namespace prefix '" + std::string(prefix) + "' is bound to nothing");
            }
            bind(prefix, values[i]);
            ++declared;
        }
    }
    m_binding_counts.push_back(declared);
    m_open_starts.push_back(m_open_names.size());
    m_open_names.append(qualified);

    m_attributes.clear();
    for (std::size_t i = 0; i < count; ++i) {
        if (raw[i].name == "xmlns" || raw[i].name.starts_with("xmlns:")) {
            continue;
        }
        auto name = resolve(raw[i].name, true);
        if (!name) {
            return fail(name.error().message);
        }
        m_attributes.push_back({*name, values[i]});
    }
    auto name = resolve(qualified, false);
    if (!name) {
        return fail(name.error().message);
    }
    if (auto handled = m_handler->on_start(*name, m_attributes); !handled) {
        return fail(handled.error().message);
    }
    if (empty_element) {
        return end_tag(qualified);
    }
    return {};
}

Result<void> XmlReader::end_tag(std::string_view inside)
{
    const std::string_view name = inside.substr(0, last_non_space(inside) + 1);
    if (m_open_starts.empty()) {
        return fail("end tag </" + std::string(name.substr(0, 64)) + "> without a start tag");
    }
    const std::string_view open = std::string_view(m_open_names).substr(m_open_starts.back());
    if (name != open) {
        return fail("mismatched tag: </" + std::string(name.substr(0, 64)) + "> closes <" +
                    std::string(open) + ">");
    }
    m_open_names.resize(m_open_starts.back());
    m_open_starts.pop_back();
    m_binding_size -= m_binding_counts.back();
    m_binding_counts.pop_back();
    if (m_open_starts.empty()) {
        m_root_closed = true;
    }
    if (auto handled = m_handler->on_end(); !handled) {
        return fail(handled.error().message);
    }
    return {};
}

}  // namespace ble2garmin::rowing
