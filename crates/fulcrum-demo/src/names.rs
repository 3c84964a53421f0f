//! Synthetic names, by region: plausible for the office a person works in,
//! invented in combination. Each entry is `(display, ascii)`; the ASCII form
//! builds emails and handles.

/// First names of the US offices.
pub const US_FIRST: &[(&str, &str)] = &[
    ("James", "james"), ("Maria", "maria"), ("Robert", "robert"), ("Jennifer", "jennifer"),
    ("Michael", "michael"), ("Linda", "linda"), ("David", "david"), ("Sarah", "sarah"),
    ("Carlos", "carlos"), ("Emily", "emily"), ("Daniel", "daniel"), ("Jessica", "jessica"),
    ("Kevin", "kevin"), ("Ashley", "ashley"), ("Brian", "brian"), ("Amanda", "amanda"),
    ("Jason", "jason"), ("Nicole", "nicole"), ("Tyler", "tyler"), ("Megan", "megan"),
    ("Marcus", "marcus"), ("Rachel", "rachel"), ("André", "andre"), ("Lauren", "lauren"),
    ("Diego", "diego"), ("José", "jose"), ("Wei", "wei"), ("Grace", "grace"), ("Omar", "omar"),
    ("Chloe", "chloe"),
];

/// Last names of the US offices.
pub const US_LAST: &[(&str, &str)] = &[
    ("Johnson", "johnson"), ("García", "garcia"), ("Miller", "miller"), ("Davis", "davis"),
    ("Rodriguez", "rodriguez"), ("Martinez", "martinez"), ("Wilson", "wilson"),
    ("Anderson", "anderson"), ("Taylor", "taylor"), ("Thomas", "thomas"), ("Moore", "moore"),
    ("Jackson", "jackson"), ("Martin", "martin"), ("Lee", "lee"), ("Thompson", "thompson"),
    ("White", "white"), ("Harris", "harris"), ("Clark", "clark"), ("Lewis", "lewis"),
    ("Robinson", "robinson"), ("Walker", "walker"), ("Young", "young"), ("Allen", "allen"),
    ("King", "king"), ("Wright", "wright"), ("Scott", "scott"), ("Nguyen", "nguyen"),
    ("Hill", "hill"), ("Flores", "flores"), ("Green", "green"),
];

/// First names of the London office.
pub const UK_FIRST: &[(&str, &str)] = &[
    ("Oliver", "oliver"), ("Amelia", "amelia"), ("Harry", "harry"), ("Isla", "isla"),
    ("George", "george"), ("Ava", "ava"), ("Jack", "jack"), ("Zoë", "zoe"), ("Charlie", "charlie"),
    ("Sophie", "sophie"), ("Thomas", "thomas"), ("Imogen", "imogen"), ("William", "william"),
    ("Lily", "lily"), ("Aidan", "aidan"), ("Freya", "freya"), ("Alfie", "alfie"), ("Evie", "evie"),
    ("Henry", "henry"), ("Poppy", "poppy"),
];

/// Last names of the London office.
pub const UK_LAST: &[(&str, &str)] = &[
    ("Smith", "smith"), ("Jones", "jones"), ("Williams", "williams"), ("Brown", "brown"),
    ("Davies", "davies"), ("Evans", "evans"), ("Roberts", "roberts"), ("O'Brien", "obrien"),
    ("Hughes", "hughes"), ("Edwards", "edwards"), ("Hall", "hall"), ("Wood", "wood"),
    ("Clarke", "clarke"), ("Patel", "patel"), ("Khan", "khan"), ("Turner", "turner"),
    ("Cooper", "cooper"), ("Ward", "ward"), ("Morgan", "morgan"), ("Bennett", "bennett"),
];

/// First names of the Berlin office.
pub const DE_FIRST: &[(&str, &str)] = &[
    ("Lukas", "lukas"), ("Anna", "anna"), ("Jonas", "jonas"), ("Lea", "lea"), ("Felix", "felix"),
    ("Laura", "laura"), ("Maximilian", "maximilian"), ("Sophie", "sophie"), ("Jürgen", "juergen"),
    ("Katrin", "katrin"), ("Tobias", "tobias"), ("Julia", "julia"), ("Sebastian", "sebastian"),
    ("Lena", "lena"), ("Matthias", "matthias"), ("Miriam", "miriam"), ("Björn", "bjoern"),
    ("Sabine", "sabine"), ("Stefan", "stefan"), ("Franziska", "franziska"),
];

/// Last names of the Berlin office.
pub const DE_LAST: &[(&str, &str)] = &[
    ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"),
    ("Fischer", "fischer"), ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"),
    ("Becker", "becker"), ("Schulz", "schulz"), ("Hoffmann", "hoffmann"), ("Schäfer", "schaefer"),
    ("Koch", "koch"), ("Bauer", "bauer"), ("Richter", "richter"), ("Klein", "klein"),
    ("Wolf", "wolf"), ("Schröder", "schroeder"), ("Neumann", "neumann"), ("Yılmaz", "yilmaz"),
    ("Zimmermann", "zimmermann"),
];

/// First names of the Bangalore office.
pub const IN_FIRST: &[(&str, &str)] = &[
    ("Aarav", "aarav"), ("Ananya", "ananya"), ("Vihaan", "vihaan"), ("Diya", "diya"),
    ("Arjun", "arjun"), ("Isha", "isha"), ("Rohan", "rohan"), ("Priya", "priya"),
    ("Karthik", "karthik"), ("Sneha", "sneha"), ("Aditya", "aditya"), ("Kavya", "kavya"),
    ("Rahul", "rahul"), ("Meera", "meera"), ("Siddharth", "siddharth"), ("Pooja", "pooja"),
    ("Vikram", "vikram"), ("Lakshmi", "lakshmi"), ("Nikhil", "nikhil"), ("Deepa", "deepa"),
];

/// Last names of the Bangalore office.
pub const IN_LAST: &[(&str, &str)] = &[
    ("Sharma", "sharma"), ("Iyer", "iyer"), ("Reddy", "reddy"), ("Nair", "nair"), ("Rao", "rao"),
    ("Patel", "patel"), ("Gupta", "gupta"), ("Menon", "menon"), ("Krishnan", "krishnan"),
    ("Kumar", "kumar"), ("Singh", "singh"), ("Bhat", "bhat"), ("Pillai", "pillai"),
    ("Desai", "desai"), ("Joshi", "joshi"), ("Hegde", "hegde"), ("Shetty", "shetty"),
    ("Mehta", "mehta"), ("Chatterjee", "chatterjee"), ("Subramanian", "subramanian"),
];

/// Product areas teams are named after.
pub const TEAM_NAMES: &[&str] = &[
    "Payments", "Search", "Mobile", "Platform", "Growth", "Data", "Identity", "Checkout",
    "Notifications", "Onboarding", "Reliability", "Insights", "Partner API", "Design Systems",
    "Messaging", "Catalog", "Fulfillment", "Pricing", "Security", "Storage", "Analytics", "Ads",
    "Support Tools", "Localization",
];

/// People outside the organisation who join some meetings.
pub const EXTERNALS: &[(&str, &str)] = &[
    ("Hannah Okafor", "hannah.okafor@globex.example"),
    ("Pierre Lambert", "pierre.lambert@initech.example"),
    ("Yuki Tanaka", "yuki.tanaka@umbrella-retail.example"),
    ("Sam Rivera", "sam@contractor-studio.example"),
    ("Ingrid Larsen", "ingrid.larsen@nordbank.example"),
    ("Ravi Shankar", "ravi.shankar@cloudvendor.example"),
];
