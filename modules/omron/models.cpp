#include "models.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace ble2garmin::modules::omron {
namespace {

// Little-endian 16-byte records, settings at 0x0010 / 0x0054, index [0x00, 0x10), clock [0x2C, 0x3C).
Model little_classic(std::string_view name, std::string_view sold_as, std::vector<UserArea> users)
{
    Model model;
    model.name = name;
    model.sold_as = sold_as;
    model.endian = Endian::little;
    model.users = std::move(users);
    model.record_size = 0x10;
    model.block_size = 0x10;
    model.settings_read = 0x0010;
    model.settings_write = 0x0054;
    model.index = {0x00, 0x10};
    model.time = {0x2C, 0x10};
    model.time_sync = true;
    return model;
}

// Big-endian 14-byte records, settings read at 0x0260.
Model big_classic(std::string_view name, std::string_view sold_as, std::vector<UserArea> users,
                  std::uint16_t block, std::uint16_t settings_write)
{
    Model model;
    model.name = name;
    model.sold_as = sold_as;
    model.endian = Endian::big;
    model.users = std::move(users);
    model.record_size = 0x0E;
    model.block_size = block;
    model.settings_read = 0x0260;
    model.settings_write = settings_write;
    model.index = {0x00, 0x08};
    model.time = {0x14, 0x0A};
    return model;
}

std::vector<Model> make_models()
{
    std::vector<Model> all;
    all.push_back(little_classic("hem-7150t", "", {{0x0098, 60}}));
    all.push_back(little_classic("hem-7155t", "M400 / M4 / X4 smart", {{0x0098, 60}, {0x0458, 60}}));
    all.push_back(little_classic("hem-7342t", "", {{0x0098, 100}, {0x06D8, 100}}));
    all.push_back(little_classic("hem-7361t", "M500 / M7 Intelli IT", {{0x0098, 100}, {0x06D8, 100}}));

    Model m7 = big_classic("hem-7322t", "M700 / M7 Intelli IT", {{0x02AC, 100}, {0x0824, 100}}, 0x38, 0x0286);
    m7.time_sync = true;
    all.push_back(m7);
    Model evolv = big_classic("hem-7600t", "Evolv", {{0x02AC, 100}}, 0x38, 0x0286);
    evolv.time_sync = true;
    all.push_back(evolv);
    // 6232t: the year byte carries flags in its top bits, MOV and IHB swapped, no clock sync.
    Model rs7 = big_classic("hem-6232t", "RS7", {{0x02E8, 100}, {0x0860, 100}}, 0x38, 0x02A4);
    rs7.year_6_bits = true;
    rs7.flags_swapped = true;
    all.push_back(rs7);
    // 7530t: no index section upstream (commented out), no clock sync.
    Model m7530 = big_classic("hem-7530t", "", {{0x02E8, 90}}, 0x10, 0x02A4);
    m7530.year_6_bits = true;
    m7530.index = {};
    m7530.time = {};
    all.push_back(m7530);

    Model m7380;
    m7380.name = "hem-7380t1";
    m7380.endian = Endian::little;
    m7380.stack = Stack::single_channel;
    m7380.users = {{0x01C4, 100}, {0x0804, 100}};
    m7380.record_size = 0x10;
    m7380.block_size = 0x38;
    m7380.rules = RecordRules::empty_above_e1;
    all.push_back(m7380);

    Model m7377;
    m7377.name = "hem-7377t1";
    m7377.sold_as = "BP5360";
    m7377.endian = Endian::little;
    m7377.stack = Stack::single_channel;
    m7377.users = {{0x01CC, 100}, {0x080C, 100}};
    m7377.record_size = 0x10;
    m7377.block_size = 0x38;
    m7377.settings_read = 0x0040;
    m7377.settings_write = 0x0088;
    m7377.time = {0x00, 0x10};
    m7377.time_sync = true;
    m7377.rules = RecordRules::checked_7377;
    all.push_back(m7377);
    return all;
}

const std::vector<Model>& table()
{
    static const std::vector<Model> k_models = make_models();
    return k_models;
}

}  // namespace

std::span<const Model> models()
{
    return table();
}

const Model* find_model(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& model : table()) {
        if (model.name == lower) {
            return &model;
        }
    }
    return nullptr;
}

std::string_view model_names()
{
    static const std::string k_names = [] {
        std::string names;
        for (const auto& model : table()) {
            names += names.empty() ? "" : ", ";
            names += model.name;
        }
        return names;
    }();
    return k_names;
}

}  // namespace ble2garmin::modules::omron
