#include "store/miscale/miscale_uploaded_row.hpp"

#include <string>

#include <gtest/gtest.h>

#include "store/miscale/miscale_row.hpp"
#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::ScopedTimeZone;

constexpr std::int64_t k_measured = 1721076654;  // 2024-07-15 22:50:54 in Warsaw
constexpr std::int64_t k_uploaded = 1721077200;  // 2024-07-15 23:00:00 in Warsaw

// body-composition.md §8 vector 1 (male, 172 cm, 40 years, 55.2 kg, 508 Ω) from the raw values the
// spec lists; compose() is not needed for a formatting test.
body::Composition vector_1()
{
    body::Composition c;
    c.weight = 55.2;
    c.bmi = 18.658734451054627;
    c.body_fat = 10.761790840579721;
    c.muscle_mass = 46.705738672224;
    c.bone_mass = 2.553752783776;
    c.water = 61.21741148336231;
    c.physique_rating = 7;
    c.visceral_fat = 4.390400000000007;
    c.metabolic_age = 19.29382;
    c.basal_metabolism = 1217.2512;
    c.lean_body_mass = 51.0647872;
    c.protein = 23.394433937333346;
    c.ideal_weight = (172.0 - 80.0) * 0.7;                               // §3.9, male
    c.fat_mass_to_ideal = 55.2 * *c.body_fat / 100 - 55.2 * 23.0 / 100;  // §3.10, S₂ = 23 at 40 years
    c.impedance = 508;
    return c;
}

UploadedScale upload_of(const body::Composition& composition)
{
    return UploadedScale{composition, "email@email.com", from_unix_seconds(k_measured),
                         from_unix_seconds(k_uploaded)};
}

MiscaleRow pending_row(const std::string& line)
{
    auto row = MiscaleRow::parse(line);
    EXPECT_TRUE(row.ok()) << line;
    return std::move(row).value();
}

TEST(MiscaleUploadedRow, MatchesTheUpstreamSampleForVector1)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    // manuals/Miscale_BLE.md via export2garmin-compat.md §7: the calculated string before the
    // Change column is inserted after the weight (§8) and the row gets its status, T and Diff.
    const std::string calculated =
        "15.07.2024;22:50;55.2;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;to_gain:6.8;23.4;508;"
        "email@email.com;15.07.2024;23:00";
    std::string expected = "uploaded;1721076654;" + calculated + ";546";
    expected.insert(expected.find(";55.2;") + 5, ";0.0");

    auto row =
        make_uploaded_row(pending_row("to_import;1721076654;55.2;508"), upload_of(vector_1()), std::nullopt);
    ASSERT_TRUE(row.ok()) << row.error().message;
    EXPECT_EQ(row->text(), expected);
    EXPECT_EQ(row->layout(), RowLayout::uploaded);
    EXPECT_EQ(row->email(), "email@email.com");
}

TEST(MiscaleUploadedRow, FormatsWhatComposeReturnsLikeUpstream)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    auto composition = body::compose({Sex::male, 172, 40, 55.2, 508});
    ASSERT_TRUE(composition.ok()) << composition.error().message;
    auto row = make_uploaded_row(pending_row("to_import;1721076654;55.2;508"), upload_of(*composition),
                                 std::nullopt);
    ASSERT_TRUE(row.ok()) << row.error().message;
    EXPECT_EQ(row->text(),
              "uploaded;1721076654;15.07.2024;22:50;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;"
              "to_gain:6.8;23.4;508;email@email.com;15.07.2024;23:00;546");
}

TEST(MiscaleUploadedRow, KeepsTheRawDeviceFieldsAtTheEnd)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    auto row =
        make_uploaded_row(pending_row("failed;1721076654;55.2;508;3.5;5"), upload_of(vector_1()), "55.0");
    ASSERT_TRUE(row.ok()) << row.error().message;
    const std::string text = row->text();
    EXPECT_EQ(text.rfind("uploaded;1721076654;15.07.2024;22:50;55.2;0.2;18.7;", 0), 0U) << text;
    EXPECT_EQ(text.substr(text.size() - 10), ";546;3.5;5") << text;
    ASSERT_EQ(row->extras().size(), 2U);
    EXPECT_EQ(row->fields().size(), 26U);
}

TEST(MiscaleUploadedRow, LeavesImpedanceColumnsEmptyForAWeightOnlyComposition)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    body::Composition c;
    c.weight = 70.0;
    c.bmi = 23.66;
    c.basal_metabolism = 1600.4;
    c.visceral_fat = 7.6;
    c.ideal_weight = 64.4;
    auto row = make_uploaded_row(pending_row("to_import;1721076654;70.0;"), upload_of(c), std::nullopt);
    ASSERT_TRUE(row.ok()) << row.error().message;
    EXPECT_EQ(row->text(),
              "uploaded;1721076654;15.07.2024;22:50;70.0;0.0;23.7;;;;;;8;;1600;;64.4;;;;email@email.com;"
              "15.07.2024;23:00;546");
    EXPECT_EQ(row->fields().size(), 24U);

    // The impedance measured but not used (a weight-only upload) stays in the row.
    auto kept = make_uploaded_row(pending_row("to_import;1721076654;70.0;3500"), upload_of(c), std::nullopt);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->impedance_ohm(), 3500);
}

TEST(MiscaleUploadedRow, FormatsFatMassToIdealBySign)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    body::Composition c = vector_1();
    c.fat_mass_to_ideal = 3.2;
    auto lose = make_uploaded_row(pending_row("to_import;1721076654;55.2;508"), upload_of(c), std::nullopt);
    ASSERT_TRUE(lose.ok());
    EXPECT_EQ(lose->fields()[17], "to_lose:3.2");
    c.fat_mass_to_ideal = -0.04;
    auto gain = make_uploaded_row(pending_row("to_import;1721076654;55.2;508"), upload_of(c), std::nullopt);
    ASSERT_TRUE(gain.ok());
    EXPECT_EQ(gain->fields()[17], "to_gain:0.0");
}

TEST(MiscaleUploadedRow, RejectsRowsAndEmailsItCannotWrite)
{
    const auto data = upload_of(vector_1());
    EXPECT_FALSE(make_uploaded_row(pending_row("unassigned;1721076654;55.2;508"), data, std::nullopt).ok());
    const std::string uploaded =
        "uploaded;1721076654;15.07.2024;22:50;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;"
        "to_gain:6.8;23.4;508;email@email.com;15.07.2024;23:00;546";
    EXPECT_FALSE(make_uploaded_row(pending_row(uploaded), data, std::nullopt).ok());
    for (const char* email : {"", "a;b@example.com", "a@example.com\n"}) {
        UploadedScale bad = data;
        bad.email = email;
        EXPECT_FALSE(make_uploaded_row(pending_row("to_import;1721076654;55.2;508"), bad, std::nullopt).ok());
    }
}

TEST(MiscaleUploadedRow, DifferenceTimeIsUploadMinusMeasurement)
{
    UploadedScale data = upload_of(vector_1());
    data.uploaded_at = from_unix_seconds(k_measured + 3 * 86400 + 7);
    auto row = make_uploaded_row(pending_row("failed;1721076654;55.2;508"), data, std::nullopt);
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->fields()[23], "259207");
}

TEST(MiscaleChange, FormatsTheDifferenceInTenths)
{
    EXPECT_EQ(format_change("55.2", std::nullopt), "0.0");
    EXPECT_EQ(format_change("55.2", "55.2"), "0.0");
    EXPECT_EQ(format_change("55.6", "55.2"), "0.4");
    EXPECT_EQ(format_change("55.4", "55.6"), "-0.2");  // bc would print "-.2"
    EXPECT_EQ(format_change("54.0", "55.5"), "-1.5");
    EXPECT_EQ(format_change("80.0", "55.2"), "24.8");
    EXPECT_EQ(format_change("55.3", "55.2"), "0.1");  // 55.3 − 55.2 is 0.0999… in binary
    EXPECT_EQ(format_change("55.2", "heavy"), "0.0");
    EXPECT_EQ(format_change("55.2", ""), "0.0");
}

}  // namespace
}  // namespace ble2garmin::store
