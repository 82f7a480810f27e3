"""A seeded history for the report and status tests and for docs/performance.md: export2garmin-format
backups with one weighing a day per person (and a blood-pressure reading every third day for those
who have a cuff), values on straight lines so that a test can work out any row by hand.

    python3 tests/integration/history_seed.py STATE_DIR --people 4 --days 3650   (performance figures)

Person i (0-based) weighs at 07:00 UTC + i minutes on day d (0-based, from START):
    weight = base + slope × d, written with 1 decimal (export2garmin's 1 dp)
    body fat = fat_base − 0.005 × d, muscle 45.0, water 50.0, visceral fat 6
The last `pending_days` days of a person with a Garmin account are to_import rows (no composition),
the rest `uploaded` (with an account) or `local` (without one; Email User = the name).
Blood pressure on every third day d: SYS = 112 + d mod 50, DIA = 72 + d mod 30, pulse 64.
"""
import sys
import time
from pathlib import Path

START = 1704096000  # 2024-01-01T08:00:00Z
MISCALE_HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
                  "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
                  "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
                  "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]")
OMRON_HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];"
                "Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];"
                "Difference Time [s]")

# name, sex, height cm, min kg, max kg, garmin e-mail ("" = none), weight base, slope, fat base, cuff
PEOPLE = [
    ("anna", "female", 170, 50, 80, "anna@example.com", 70.0, -0.01, 30.0, True),
    ("ben", "male", 185, 80.1, 120, "", 95.0, 0.01, 22.0, False),
    ("carl", "male", 140, 25, 49.9, "", 35.0, 0.004, 18.0, False),
    ("dora", "female", 160, 120.1, 160, "dora@example.com", 125.0, -0.005, 38.0, True),
]


def weight(person, day):
    return round(person[6] + person[7] * day, 1)


def stamp(unix_time):
    t = time.gmtime(unix_time)
    return time.strftime("%d.%m.%Y", t), time.strftime("%H:%M", t)


def config(state: Path, people: int, standard: str = "eu") -> str:
    text = f'[general]\nstate_directory = "{state}"\ntimezone = "UTC"\n\n[storage]\nblood_pressure_category = "{standard}"\n'
    for name, sex, height, low, high, email, *_ in PEOPLE[:people]:
        text += (f'\n[[users]]\nname = "{name}"\nsex = "{sex}"\nheight_cm = {height}\nbirth_date = 1990-01-01\n'
                 f'min_weight_kg = {low}\nmax_weight_kg = {high}\n')
        if email:
            text += f'garmin_email = "{email}"\n'
    return text


def seed(state: Path, people: int = 2, days: int = 730, pending_days: int = 2) -> None:
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    scale = [MISCALE_HEADER]
    pressure = [OMRON_HEADER]
    for day in range(days):
        for index, person in enumerate(PEOPLE[:people]):
            name, _, height, _, _, email, _, _, fat_base, cuff = person
            t = START + day * 86400 + index * 60 - 3600  # 07:00 UTC + i minutes
            date, clock = stamp(t)
            w = weight(person, day)
            if email and day >= days - pending_days:
                scale.append(f"to_import;{t};{w:.1f};500")
            else:
                status, account = ("uploaded", email) if email else ("local", name)
                bmi = w / (height / 100) ** 2
                fat = fat_base - 0.005 * day
                upload = (date, clock, "30") if email else ("", "", "")
                scale.append(f"{status};{t};{date};{clock};{w:.1f};0.0;{bmi:.1f};{fat:.1f};45.0;3.0;50.0;5;6;30;1500;"
                             f"50.0;60.0;to_lose:1.0;18.0;500;{account};{upload[0]};{upload[1]};{upload[2]}")
            if cuff and day % 3 == 0:
                sys_, dia = 112 + day % 50, 72 + day % 30
                pressure.append(f"uploaded;{t + 120};{date};{clock};{sys_};{dia};64;Normal;0;0;{email};"
                                f"{date};{clock};30")
    (state / "miscale_backup.csv").write_text("\n".join(scale) + "\n")
    (state / "omron_backup.csv").write_text("\r\n".join(pressure) + "\r\n")
    for name in ("miscale_backup.csv", "omron_backup.csv"):
        (state / name).chmod(0o600)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    arguments = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    count = int(arguments.get("--people", 2))
    seed(target, count, int(arguments.get("--days", 730)))
    (target.parent / "ble2garmin.toml").write_text(config(target, count))
    print(f"seeded {target} and {target.parent / 'ble2garmin.toml'}")
