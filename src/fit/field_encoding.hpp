#pragma once
// Bytes of one field of a data message (shared/spec/fit.md §1.6, §1.8): the value little-endian in
// the field's base type, or the type's invalid value when there is none. Used by Encoder.

#include <string>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "fit/message.hpp"

namespace ble2garmin::fit {

// Bytes the field takes in a data message (element size × count).
std::size_t field_size(const FieldDefinition& field);

// Ok when the field can be defined: count ≥ 1 and at most 255 bytes; an Error saying why not.
Result<void> check_field_definition(const FieldDefinition& field);

// Appends the field's bytes for `value` (nullptr: invalid) to `out`. An Error, with nothing appended,
// when the value does not suit the field: wrong kind (a double for an integer field, …), out of the
// base type's range, equal to the invalid value (which would read back as "no value"), not finite,
// or a string or array longer than the field.
Result<void> append_field(Bytes& out, const FieldDefinition& field, const FieldValue* value);

// "field 3 (uint16)", for error messages.
std::string describe(const FieldDefinition& field);

}  // namespace ble2garmin::fit
