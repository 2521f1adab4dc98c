"""Static material for the org generator: cities, names, group and room names.

Street names are real streets of each city; house numbers are made up by the generator.
US and Canadian numbers use the 555 exchange (``+1 AAA 555 XXXX``), which libphonenumber
accepts as valid for every area code listed here; other countries use ordinary landline
ranges of the city.
"""

# (city, region, country (ISO 3166 alpha-2, lower case as Dialpad answers),
#  timezone, area codes, postal code, streets)
CITIES = [
    ("San Francisco", "CA", "us", "America/Los_Angeles", ["415", "628"], "94105",
     ["Market St", "Howard St", "Mission St", "Folsom St", "Bryant St"]),
    ("New York", "NY", "us", "America/New_York", ["212", "646"], "10001",
     ["Broadway", "W 34th St", "7th Ave", "Madison Ave", "Hudson St"]),
    ("Austin", "TX", "us", "America/Chicago", ["512"], "78701",
     ["Congress Ave", "W 6th St", "Lavaca St", "Colorado St"]),
    ("Chicago", "IL", "us", "America/Chicago", ["312"], "60601",
     ["N Michigan Ave", "W Madison St", "N LaSalle St", "W Wacker Dr"]),
    ("Seattle", "WA", "us", "America/Los_Angeles", ["206"], "98101",
     ["Pine St", "4th Ave", "Pike St", "1st Ave"]),
    ("Denver", "CO", "us", "America/Denver", ["303"], "80202",
     ["17th St", "Larimer St", "Blake St", "Champa St"]),
    ("Boston", "MA", "us", "America/New_York", ["617"], "02110",
     ["Summer St", "Congress St", "State St", "Boylston St"]),
    ("Atlanta", "GA", "us", "America/New_York", ["404"], "30303",
     ["Peachtree St NE", "Spring St NW", "Marietta St NW"]),
    ("Los Angeles", "CA", "us", "America/Los_Angeles", ["213"], "90012",
     ["S Grand Ave", "W 5th St", "S Flower St", "Wilshire Blvd"]),
    ("San Diego", "CA", "us", "America/Los_Angeles", ["619"], "92101",
     ["B St", "Broadway", "W Ash St", "Kettner Blvd"]),
    ("Phoenix", "AZ", "us", "America/Phoenix", ["602"], "85004",
     ["N Central Ave", "E Washington St", "N 1st St"]),
    ("Dallas", "TX", "us", "America/Chicago", ["214"], "75201",
     ["Ross Ave", "Main St", "Elm St", "N Akard St"]),
    ("Houston", "TX", "us", "America/Chicago", ["713"], "77002",
     ["Louisiana St", "Travis St", "Main St", "Smith St"]),
    ("Miami", "FL", "us", "America/New_York", ["305"], "33131",
     ["Brickell Ave", "SE 2nd Ave", "S Biscayne Blvd"]),
    ("Portland", "OR", "us", "America/Los_Angeles", ["503"], "97204",
     ["SW Broadway", "SW 5th Ave", "SW Morrison St"]),
    ("Salt Lake City", "UT", "us", "America/Denver", ["801"], "84111",
     ["S Main St", "E 200 S", "S State St"]),
    ("Minneapolis", "MN", "us", "America/Chicago", ["612"], "55402",
     ["Nicollet Mall", "S 6th St", "Marquette Ave"]),
    ("Philadelphia", "PA", "us", "America/New_York", ["215"], "19103",
     ["Market St", "Chestnut St", "Walnut St", "Arch St"]),
    ("Washington", "DC", "us", "America/New_York", ["202"], "20001",
     ["K St NW", "H St NW", "New York Ave NW"]),
    ("Raleigh", "NC", "us", "America/New_York", ["919"], "27601",
     ["Fayetteville St", "S Salisbury St", "Hillsborough St"]),
    ("Nashville", "TN", "us", "America/Chicago", ["615"], "37203",
     ["Broadway", "Church St", "Demonbreun St"]),
    ("Detroit", "MI", "us", "America/Detroit", ["313"], "48226",
     ["Woodward Ave", "Griswold St", "W Lafayette Blvd"]),
    ("Pittsburgh", "PA", "us", "America/New_York", ["412"], "15222",
     ["Liberty Ave", "Penn Ave", "Smithfield St"]),
    ("Kansas City", "MO", "us", "America/Chicago", ["816"], "64105",
     ["Main St", "Walnut St", "Grand Blvd"]),
    ("Columbus", "OH", "us", "America/New_York", ["614"], "43215",
     ["N High St", "E Broad St", "S 3rd St"]),
    ("Charlotte", "NC", "us", "America/New_York", ["704"], "28202",
     ["S Tryon St", "N College St", "E Trade St"]),
    ("Las Vegas", "NV", "us", "America/Los_Angeles", ["702"], "89101",
     ["Fremont St", "S Casino Center Blvd", "Las Vegas Blvd S"]),
    ("St. Louis", "MO", "us", "America/Chicago", ["314"], "63101",
     ["Washington Ave", "Olive St", "Locust St"]),
    ("Indianapolis", "IN", "us", "America/Indiana/Indianapolis", ["317"], "46204",
     ["Monument Cir", "N Meridian St", "E Washington St"]),
    ("Honolulu", "HI", "us", "Pacific/Honolulu", ["808"], "96813",
     ["Bishop St", "Fort St", "S King St"]),
    ("Anchorage", "AK", "us", "America/Anchorage", ["907"], "99501",
     ["W 4th Ave", "E 5th Ave", "G St"]),
    ("Sacramento", "CA", "us", "America/Los_Angeles", ["916"], "95814",
     ["Capitol Mall", "J St", "K St"]),
    ("San Jose", "CA", "us", "America/Los_Angeles", ["408"], "95113",
     ["N 1st St", "W Santa Clara St", "Almaden Blvd"]),
    ("Tampa", "FL", "us", "America/New_York", ["813"], "33602",
     ["N Franklin St", "E Kennedy Blvd", "N Ashley Dr"]),
    ("Orlando", "FL", "us", "America/New_York", ["407"], "32801",
     ["N Orange Ave", "E Church St", "S Magnolia Ave"]),
    ("New Orleans", "LA", "us", "America/Chicago", ["504"], "70112",
     ["Poydras St", "Canal St", "Baronne St"]),
    ("Cincinnati", "OH", "us", "America/New_York", ["513"], "45202",
     ["Vine St", "E 4th St", "Walnut St"]),
    ("Boise", "ID", "us", "America/Boise", ["208"], "83702",
     ["W Main St", "W Idaho St", "N 8th St"]),
    ("Albuquerque", "NM", "us", "America/Denver", ["505"], "87102",
     ["Central Ave NW", "Gold Ave SW", "4th St NW"]),
    ("Toronto", "ON", "ca", "America/Toronto", ["416"], "M5H 2N2",
     ["King St W", "Bay St", "Queen St W", "Yonge St"]),
    ("Vancouver", "BC", "ca", "America/Vancouver", ["604"], "V6B 1A1",
     ["W Hastings St", "Granville St", "Burrard St"]),
    ("Montreal", "QC", "ca", "America/Toronto", ["514"], "H2Y 1C6",
     ["Rue Saint-Jacques", "Rue Sainte-Catherine O", "Boulevard René-Lévesque O"]),
    ("London", "London", "gb", "Europe/London", ["20"], "EC2A 4BX",
     ["Old Street", "Shoreditch High Street", "Great Eastern Street", "Curtain Road"]),
    ("Dublin", "Dublin", "ie", "Europe/Dublin", ["1"], "D02 X285",
     ["Grand Canal Street Lower", "Baggot Street Upper", "Pearse Street"]),
    ("Sydney", "NSW", "au", "Australia/Sydney", ["2"], "2000",
     ["George Street", "Pitt Street", "Kent Street", "Clarence Street"]),
    ("Melbourne", "VIC", "au", "Australia/Melbourne", ["3"], "3000",
     ["Collins Street", "Bourke Street", "Flinders Lane"]),
    ("Berlin", "Berlin", "de", "Europe/Berlin", ["30"], "10117",
     ["Friedrichstraße", "Unter den Linden", "Leipziger Straße"]),
    ("Paris", "Île-de-France", "fr", "Europe/Paris", ["1"], "75002",
     ["Rue de la Paix", "Rue du Louvre", "Boulevard Haussmann"]),
    ("Tokyo", "Tokyo", "jp", "Asia/Tokyo", ["3"], "100-0005",
     ["Marunouchi", "Otemachi", "Yurakucho"]),
]

CITY_BY_NAME = {c[0]: c for c in CITIES}

# Calling code and the shape of a local number after the area code, per country:
# "555" + 4 digits for NANP; a leading digit and a digit count elsewhere.
NUMBER_PLANS = {
    "us": ("1", "555", 4),
    "ca": ("1", "555", 4),
    "gb": ("44", "7", 7),     # +44 20 7xxx xxxx
    "ie": ("353", "6", 6),    # +353 1 6xx xxxx
    "au": ("61", "9", 7),     # +61 2 9xxx xxxx
    "de": ("49", "2", 7),     # +49 30 2xxxxxxx
    "fr": ("33", "4", 7),     # +33 1 4x xx xx xx
    "jp": ("81", "5", 7),     # +81 3 5xxx xxxx
}

LANGUAGE_BY_COUNTRY = {"us": "en", "ca": "en", "gb": "en", "ie": "en", "au": "en",
                       "de": "de", "fr": "fr", "jp": "ja"}

FIRST_NAMES = [
    "Aaliyah", "Aaron", "Abigail", "Adam", "Adrian", "Aiko", "Aisha", "Alejandro", "Alex",
    "Alexis", "Ali", "Alice", "Amara", "Amelia", "Amir", "Ana", "Andre", "Andrea", "Angela",
    "Anika", "Anna", "Anthony", "Arjun", "Ava", "Ayesha", "Beatriz", "Ben", "Bianca", "Brandon",
    "Brian", "Brooke", "Caleb", "Camila", "Carlos", "Carmen", "Caroline", "Chen", "Chloe",
    "Chris", "Claire", "Daniel", "David", "Deepa", "Diana", "Diego", "Dmitri", "Elena", "Eli",
    "Elif", "Elijah", "Emily", "Emma", "Eric", "Esther", "Ethan", "Fatima", "Felix", "Fernando",
    "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Harper", "Hassan", "Hector", "Henry",
    "Hiroshi", "Ibrahim", "Imani", "Ines", "Isaac", "Isabella", "Ivan", "Jack", "Jada", "James",
    "Jasmine", "Javier", "Jenna", "Jessica", "Jin", "Joao", "Jonah", "Jordan", "Jose", "Joseph",
    "Julia", "Julian", "Kai", "Kamal", "Karen", "Kate", "Kenji", "Kevin", "Khadija", "Kofi",
    "Laila", "Lara", "Laura", "Leah", "Leo", "Liam", "Lina", "Lucas", "Lucia", "Luis", "Maya",
    "Malik", "Marco", "Maria", "Mariam", "Mark", "Marta", "Mateo", "Matthew", "Mei", "Mia",
    "Michael", "Miguel", "Mohammed", "Nadia", "Naomi", "Nathan", "Nia", "Nikhil", "Nina",
    "Noah", "Nora", "Olivia", "Omar", "Oscar", "Owen", "Pablo", "Paul", "Priya", "Rachel",
    "Rafael", "Rahul", "Rania", "Raj", "Rebecca", "Ricardo", "Rosa", "Ryan", "Sakura", "Samir",
    "Samuel", "Sana", "Sara", "Sean", "Sebastian", "Sofia", "Sophie", "Stella", "Sunil",
    "Tariq", "Thomas", "Tomas", "Valentina", "Victor", "Vikram", "Wei", "William", "Xavier",
    "Yara", "Yusuf", "Zainab", "Zoe",
]

LAST_NAMES = [
    "Abbott", "Adeyemi", "Ahmed", "Alvarez", "Anderson", "Andersson", "Bailey", "Baker",
    "Banerjee", "Barnes", "Becker", "Bennett", "Brooks", "Brown", "Campbell", "Carter",
    "Castillo", "Chang", "Chen", "Clarke", "Cohen", "Collins", "Cooper", "Costa", "Cruz",
    "Das", "Davies", "Davis", "Diaz", "Dubois", "Edwards", "Evans", "Fernandez", "Fischer",
    "Flores", "Foster", "Garcia", "Gomez", "Gonzalez", "Gray", "Green", "Gupta", "Hall",
    "Hansen", "Harris", "Hassan", "Hayes", "Hernandez", "Hill", "Hoffmann", "Howard", "Hughes",
    "Ibrahim", "Ito", "Iyer", "Jackson", "James", "Jensen", "Johnson", "Jones", "Kato", "Kaur",
    "Kelly", "Khan", "Kim", "King", "Kowalski", "Kumar", "Lee", "Lewis", "Li", "Lin", "Liu",
    "Lopez", "Martin", "Martinez", "Mehta", "Mendoza", "Miller", "Mitchell", "Moore", "Morales",
    "Morgan", "Murphy", "Murray", "Nakamura", "Nguyen", "Novak", "Okafor", "Okonkwo", "Oliveira",
    "Ortiz", "Owusu", "Park", "Patel", "Perez", "Perry", "Peters", "Petrov", "Phillips", "Price",
    "Quinn", "Ramirez", "Reddy", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson",
    "Rodriguez", "Rossi", "Russell", "Saito", "Sanchez", "Santos", "Schmidt", "Scott", "Shah",
    "Silva", "Singh", "Smith", "Sullivan", "Suzuki", "Tanaka", "Taylor", "Thomas", "Thompson",
    "Torres", "Tran", "Turner", "Walker", "Wang", "Ward", "Watson", "Weber", "White", "Williams",
    "Wilson", "Wong", "Wright", "Wu", "Yamamoto", "Yang", "Young", "Zhang", "Zhou",
]

JOB_TITLES = [
    "Account Executive", "Sales Development Rep", "Support Specialist", "Support Team Lead",
    "Customer Success Manager", "IT Administrator", "Office Manager", "Receptionist",
    "Software Engineer", "Product Manager", "Finance Analyst", "HR Generalist", "Recruiter",
    "Operations Manager", "Billing Specialist", "Marketing Manager", "Solutions Engineer",
    "Facilities Coordinator", "Logistics Coordinator", "Account Manager",
]

DEPARTMENT_NAMES = [
    "Sales", "Customer Support", "Billing", "IT Help Desk", "Human Resources", "Facilities",
    "Finance", "Marketing", "Legal", "Reception", "Engineering", "Operations", "Procurement",
    "Customer Success", "Partnerships", "Security", "Logistics", "Shipping & Receiving",
    "Accounts Payable", "Recruiting", "Training", "Quality Assurance", "Field Services",
    "Executive Office",
]

CALL_CENTER_NAMES = [
    "Customer Care", "Sales Inbound", "Tier 2 Support", "Billing Queue", "Order Desk",
    "Returns & Exchanges", "VIP Care", "Technical Support", "Collections", "Scheduling",
    "Dispatch", "Renewals", "Onboarding Line", "Escalations", "After-Hours Support",
]

ROOM_NAMES = [
    "Lobby Phone", "Reception Desk", "Board Room", "Conference Room A", "Conference Room B",
    "Conference Room C", "Huddle Room 1", "Huddle Room 2", "Huddle Room 3", "Training Room",
    "Break Room", "Kitchen", "Mail Room", "Warehouse Floor", "Loading Dock", "Security Desk",
    "Server Room", "Copy Room", "Innovation Lab", "Executive Suite", "Focus Room 4B",
    "Focus Room 5A", "Town Hall", "War Room", "Quiet Room",
]

OFFICE_SUFFIXES = [
    "Downtown", "Midtown", "North", "South", "East", "West", "Campus", "Annex",
    "Tech Center", "Harbor", "Riverside", "Uptown", "Airport", "Plaza", "Park",
]

DESKPHONE_MODELS = [
    ("polycom", "VVX 450", "6.4.3.5018"),
    ("yealink", "T54W", "96.86.0.70"),
    ("obi", "OBi2182", "3.2.2.5921EX"),
    ("grandstream", "GRP2614", "1.0.5.33"),
    ("polyandroid", "CCX 500", "8.1.2.1021"),
]
