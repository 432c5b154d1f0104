"""Words people search with, mapped to the words code titles use.

The tables, all lower case, read by :mod:`codekit._search`:

- :data:`QUERY` -- clinical abbreviations and lay terms a query may use, each with the
  wording of the classification (a query is searched as written *and* as rewritten; the
  best match wins). Multi-word keys match whole phrases (``heart attack``).
- :data:`ITEMS` -- an item a query names alone (``walker``), with its standard model.
- :data:`ALONE` -- a drug an ICD-10-CM query names alone (``on eliquis``), as its long
  term use.
- :data:`DESCRIPTOR` -- the abbreviations of CMS short descriptors (HCPCS Level II:
  ``Colon ca scrn not hi rsk ind``), expanded in the indexed text.
- :data:`ROMAN` -- roman numerals read as numbers (type II, stage IV).
- :data:`DIRECTED` -- phrases whose small word says what they mean (``metastatic to``).
- :data:`MARKERS`, :data:`READINGS`, :data:`QUALIFIERS`, :data:`SIDES`,
  :data:`SIDE_NAMES`, :data:`AFTER` --
  how an ICD-10-CM query is read beyond its words: whose condition it is and when
  ("history of", "family history of", "status post"), the kinds of text it must name to
  get ("newborn", "neoplasm"), the side it names, a deficit a condition left ("s/p CVA
  with hemiparesis") (:class:`codekit._search.Reading`).

They are written from general clinical usage (common chart abbreviations, common lay
names of conditions), not from any query list: the search benchmark in
``tests/search_queries.csv`` measures how far they carry.
"""

from __future__ import annotations

__all__ = ["AFTER", "ALONE", "DEFAULT_PHRASES", "DESCRIPTOR", "DIRECTED", "FREE", "ITEMS",
           "MARKERS", "PARTS", "PCS_ENDINGS", "PCS_STEMS", "PCS_TERMS", "QUALIFIERS", "QUERY",
           "READINGS", "ROMAN", "ROUTES", "SIDES", "SIDE_NAMES"]

#: Drugs by the class the classification names them by (Z79 "Long term (current) use of
#: anticoagulants", Z79.02 antithrombotics/antiplatelets, Z79.84 oral hypoglycemic drugs;
#: the tabular lists drugs the same way under Z79.81-).
_ANTICOAGULANTS = ("warfarin", "coumadin", "apixaban", "eliquis", "rivaroxaban", "xarelto",
                   "dabigatran", "pradaxa", "edoxaban", "savaysa")
_ANTIPLATELETS = ("clopidogrel", "plavix", "prasugrel", "effient", "ticagrelor", "brilinta")
_ORAL_HYPOGLYCEMICS = ("metformin", "glucophage", "glipizide", "glyburide", "glimepiride")

#: Abbreviation or lay phrase -> the classification's wording (one or more).
QUERY: dict[str, tuple[str, ...]] = {
    # -- clinical abbreviations: conditions
    "htn": ("hypertension", "essential hypertension", "hypertensive"),
    "hbp": ("hypertension",),
    "dm": ("diabetes mellitus",),
    # the default type when none is said (I.C.4.a.2: "If the type of diabetes mellitus is
    # not documented in the medical record the default is E11.-")
    "diabetes": ("type 2 diabetes mellitus",),
    "diabetic": ("type 2 diabetes mellitus",),
    # Index: "Diabetes, uncontrolled - meaning hyperglycemia - see Diabetes, by type, with
    # hyperglycemia; meaning hypoglycemia - see Diabetes, by type, with hypoglycemia" (of
    # diabetes only: "uncontrolled hypertension" is I10); "mellitus uncontrolled" after a
    # type written out ("dm2 uncontrolled")
    "uncontrolled diabetes": ("type 2 diabetes mellitus with hyperglycemia",
                              "type 2 diabetes mellitus with hypoglycemia"),
    "diabetes uncontrolled": ("type 2 diabetes mellitus with hyperglycemia",
                              "type 2 diabetes mellitus with hypoglycemia",
                              "diabetes mellitus with hyperglycemia"),
    "diabetes mellitus uncontrolled": ("type 2 diabetes mellitus with hyperglycemia",
                                       "type 2 diabetes mellitus with hypoglycemia",
                                       "diabetes mellitus with hyperglycemia"),
    "mellitus uncontrolled": ("mellitus with hyperglycemia", "mellitus with hypoglycemia"),
    "dm1": ("type 1 diabetes mellitus",),
    "dm2": ("type 2 diabetes mellitus",),
    "t1dm": ("type 1 diabetes mellitus",),
    "t2dm": ("type 2 diabetes mellitus",),
    "iddm": ("type 1 diabetes mellitus",),
    "niddm": ("type 2 diabetes mellitus",),
    "gdm": ("gestational diabetes",),
    # a DKA of no stated type is of type 2 diabetes (I.C.4.a.2), as "diabetic ketoacidosis"
    # is ("diabetic" above): E11.10, not E13.10 (other specified diabetes)
    "dka": ("type 2 diabetes mellitus with ketoacidosis", "diabetic ketoacidosis",
            "diabetes mellitus with ketoacidosis"),
    "uti": ("urinary tract infection",),
    "uri": ("acute upper respiratory infection",),
    "urti": ("acute upper respiratory infection",),
    "copd": ("chronic obstructive pulmonary disease",),
    "chf": ("congestive heart failure", "heart failure"),
    "hf": ("heart failure",),
    "hfref": ("heart failure with reduced ejection fraction", "systolic heart failure"),
    "hfpef": ("heart failure with preserved ejection fraction", "diastolic heart failure"),
    "mi": ("myocardial infarction",),
    "ami": ("acute myocardial infarction",),
    "stemi": ("st elevation myocardial infarction",),
    "nstemi": ("non st elevation myocardial infarction",),
    "cad": ("coronary artery disease", "atherosclerotic heart disease"),
    "ashd": ("atherosclerotic heart disease",),
    "pad": ("peripheral arterial disease", "peripheral vascular disease"),
    "pvd": ("peripheral vascular disease",),
    "afib": ("atrial fibrillation",),
    "af": ("atrial fibrillation",),
    "a fib": ("atrial fibrillation",),
    "aflutter": ("atrial flutter",),
    "svt": ("supraventricular tachycardia",),
    "vtach": ("ventricular tachycardia",),
    "cva": ("cerebral infarction", "stroke"),
    "tia": ("transient cerebral ischemic attack",),
    # acute unless said chronic (Index: "Embolism, vein, lower extremity, deep I82.40-")
    "dvt": ("deep vein thrombosis", "acute embolism and thrombosis of deep veins",
            "deep venous thrombosis"),
    "pe": ("pulmonary embolism",),
    "vte": ("venous thromboembolism", "venous embolism and thrombosis"),
    "gerd": ("gastro esophageal reflux disease",),
    "gord": ("gastro esophageal reflux disease",),
    "ibs": ("irritable bowel syndrome",),
    "ibd": ("inflammatory bowel disease",),
    "pud": ("peptic ulcer",),
    "gi bleed": ("gastrointestinal hemorrhage",),
    "gi bleeding": ("gastrointestinal hemorrhage",),
    "gi hemorrhage": ("gastrointestinal hemorrhage",),
    # upper and lower GI bleed: K92.2 "Gastrointestinal hemorrhage, unspecified" (the
    # classification does not code the level; Index: Hemorrhage, gastrointestinal K92.2)
    "ugib": ("gastrointestinal hemorrhage",),
    "lgib": ("gastrointestinal hemorrhage",),
    # small and large bowel obstruction: Index "Obstruction, bowel - see Obstruction,
    # intestine" (K56.609 "Intestinal obstruction NOS"; no level is coded either)
    "bowel obstruction": ("intestinal obstruction",),
    "small bowel obstruction": ("intestinal obstruction",),
    "large bowel obstruction": ("intestinal obstruction",),
    "sbo": ("intestinal obstruction",),
    "lbo": ("intestinal obstruction",),
    "ards": ("acute respiratory distress syndrome",),
    # chart abbreviations a coder reviewing search typed (third pass, 2026-12-07), each
    # with the words of the code's title or inclusion term: "Polycystic ovarian
    # syndrome" E28.2, "Restless legs syndrome" G25.81, "Primary open-angle glaucoma"
    # H40.11-, "Benign paroxysmal vertigo" H81.1- (the positional vertigo of the Index:
    # "Vertigo, benign paroxysmal (positional) H81.1-"), "Basal cell carcinoma of skin"
    # C44.-1-, "Squamous cell carcinoma of skin" C44.-2-, "Chronic lymphocytic leukemia of
    # B-cell type" C91.1-, "Abdominal aortic aneurysm" I71.4-, an acute otitis media
    # (Index: "Otitis, media, acute, subacute H66.90"), the anterior and medial ligaments
    # of the knee (S83.51-, S83.41-), the lobes of a lung as C34.- names them
    "pcos": ("polycystic ovarian syndrome",),
    "rls": ("restless legs syndrome",),
    "poag": ("primary open angle glaucoma",),
    "bppv": ("benign paroxysmal vertigo",),
    "bcc": ("basal cell carcinoma",),
    "scc": ("squamous cell carcinoma",),
    "cll": ("chronic lymphocytic leukemia",),
    "aaa": ("abdominal aortic aneurysm",),
    "aom": ("acute otitis media",),
    "acl": ("anterior cruciate ligament",),
    "mcl": ("medial collateral ligament",),
    "rul": ("right upper lobe",), "rml": ("right middle lobe",),
    "rll": ("right lower lobe",), "lul": ("left upper lobe",), "lll": ("left lower lobe",),
    # a leg amputated below or above the knee, as its status names it (Z89.51- "Acquired
    # absence of leg below knee", Z89.61- "... above knee"; I.C.21.c.3)
    "bka": ("leg below knee", "below knee amputation"),
    "aka": ("leg above knee", "above knee amputation"),
    # a family history ("fhx": Z80-Z84, the Index's "History, family"), written out before
    # the reading of "family history" (MARKERS)
    "fhx": ("family history",),
    "ckd": ("chronic kidney disease",),
    "esrd": ("end stage renal disease",),
    "aki": ("acute kidney failure", "acute kidney injury"),
    # a renal failure is a kidney failure, as the titles name it (Index: "Failure, renal
    # N19 - acute N17.9 - chronic N18.9 - end stage (chronic) N18.6"): "acute renal failure"
    # found N18.9 by its inclusion term "Chronic renal failure NOS" first
    "renal failure": ("kidney failure",),
    "end stage renal failure": ("end stage renal disease",),
    "arf": ("acute kidney failure",),
    "bph": ("benign prostatic hyperplasia",),
    # N40.1's own words; N40.2's inclusion term writes it "Nodular prostate without LUTS"
    "luts": ("lower urinary tract symptoms",),
    "osa": ("obstructive sleep apnea",),
    "hld": ("hyperlipidemia",),
    "hlp": ("hyperlipidemia",),
    "pna": ("pneumonia",),
    "ams": ("altered mental status",),
    "loc": ("loss of consciousness",),
    "abd": ("abdominal",),
    # the anemia of an acute blood loss is "Acute posthemorrhagic anemia" (D62); D50.0,
    # "Iron deficiency anemia secondary to blood loss (chronic)", is the chronic one
    "acute blood loss anemia": ("acute posthemorrhagic anemia",),
    "abla": ("acute posthemorrhagic anemia",),
    "ra": ("rheumatoid arthritis",),
    "oa": ("osteoarthritis",),
    "djd": ("osteoarthritis", "degenerative joint disease"),
    "sle": ("systemic lupus erythematosus",),
    "ms": ("multiple sclerosis",),
    "als": ("amyotrophic lateral sclerosis",),
    "cp": ("cerebral palsy",),
    "adhd": ("attention deficit hyperactivity disorder",),
    "add": ("attention deficit disorder",),
    "asd": ("autism spectrum disorder", "autistic disorder"),
    "ocd": ("obsessive compulsive disorder",),
    "ptsd": ("post traumatic stress disorder",),
    "gad": ("generalized anxiety disorder",),
    # a major depressive disorder not said recurrent is a single episode: F32.9, whose
    # inclusion term is "Major depression NOS" (F33 needs the recurrence documented)
    "mdd": ("major depressive disorder", "major depression"),
    "major depressive disorder": ("major depression",),
    "bpd": ("borderline personality disorder",),
    "aud": ("alcohol dependence", "alcohol use disorder"),
    "oud": ("opioid dependence", "opioid use disorder"),
    "etoh": ("alcohol",),
    "sob": ("shortness of breath",),
    "doe": ("dyspnea on exertion",),
    "cp pain": ("chest pain",),
    "lbp": ("low back pain",),
    "ha": ("headache",),
    "n v": ("nausea with vomiting",),
    "abd pain": ("abdominal pain",),
    "uti symptoms": ("urinary tract infection",),
    "std": ("sexually transmitted disease",),
    "sti": ("sexually transmitted infection",),
    "hiv": ("human immunodeficiency virus",),
    "hpv": ("human papillomavirus",),
    "hsv": ("herpes simplex",),
    "cmv": ("cytomegalovirus",),
    "rsv": ("respiratory syncytial virus",),
    "mrsa": ("methicillin resistant staphylococcus aureus",),
    "tb": ("tuberculosis",),
    # an infection by an organism is the disease it causes, as the titles name many
    # (Index: "Infection, cytomegalovirus B25.9": "Cytomegaloviral disease"; "Infection,
    # Lyme - see Disease, Lyme"; A98.4 "Ebola virus disease")
    "infection": ("disease",),
    "covid": ("covid 19",),
    "covid19": ("covid 19",),
    "coronavirus": ("covid 19",),
    # the virus of COVID-19 (Guidelines I.C.1.g.1: "COVID-19 infection (infection due to
    # SARS-CoV-2)": U07.1)
    "sars cov 2": ("covid 19",),
    "sars cov2": ("covid 19",),
    # Index: "Overdose, overdosage (drug) - see Table of Drugs and Chemicals, by drug,
    # poisoning" ("aspirin overdose": T39.011A)
    "overdose": ("poisoning",),
    # a site's metastases are a secondary neoplasm of the site (Index: "Metastasis,
    # metastatic - to specified site - see Neoplasm, secondary, by site"): "lung mets" is
    # C78.00; "metastatic" before a primary's name is left to its words
    "mets": ("secondary malignant neoplasm",),
    "metastases": ("secondary malignant neoplasm",),
    "metastasis": ("secondary malignant neoplasm",),
    # Index: "Diverticulitis (acute) K57.92" -- of the intestine when no site is said
    # (the bladder's is N30.80, a congenital one Q43.8)
    "diverticulitis": ("diverticulitis of intestine part unspecified",),
    "long covid": ("post covid 19 condition",),
    "post covid": ("post covid 19 condition",),
    "bmi": ("body mass index",),
    "hx": ("history",),
    "h o": ("history of",),
    "fx": ("fracture",),
    "ca": ("cancer", "malignant neoplasm"),
    "dx": ("diagnosis",),
    "sx": ("symptom",),
    "r o": ("rule out",),
    "lt": ("left",),
    "rt": ("right",),
    "bilat": ("bilateral",),
    "yo": ("year old",),
    "f u": ("follow up",),
    "fu": ("follow up",),
    "wcc": ("routine child health examination",),
    "awv": ("annual wellness visit",),
    "ppd": ("tuberculin skin test",),
    "nos": ("unspecified",),
    "rlq": ("right lower quadrant",),
    "llq": ("left lower quadrant",),
    "ruq": ("right upper quadrant",),
    "luq": ("left upper quadrant",),
    "bp": ("blood pressure",),
    "exam": ("examination",),
    "gyn": ("gynecological",),
    "preop": ("preprocedural",),
    "pre op": ("preprocedural",),
    "preoperative": ("preprocedural",),
    "cabg": ("aortocoronary bypass graft", "coronary artery bypass"),
    "hypertriglyceridemia": ("hyperglyceridemia",),
    # the adjective for the disease ("Hypertensive chronic kidney disease", I12; "HTN with
    # CKD": I.C.9.a.2), the adjective for the state
    "hypertension": ("hypertensive",),
    "hypothyroid": ("hypothyroidism",),
    "hyperthyroid": ("hyperthyroidism",),
    # the ends of a long bone as the fracture titles name them (S42.2 "upper end of
    # humerus", S52.5 "lower end of radius", S72.4, S82.1, S82.3)
    "distal": ("lower end",),
    "proximal": ("upper end",),
    # a leg or an arm is a lower or upper limb in most titles that do not name a part of
    # it ("Cellulitis of left lower limb" L03.116, "Localized swelling, mass and lump,
    # right lower limb" R22.41); the titles that say "leg" ("Pain in left leg") keep it
    "leg": ("lower limb",),
    "arm": ("upper limb",),
    # "History of falling" (Z91.81), "Fear of falling"
    "fall": ("falling",),
    # the lobe of a pneumonia is not coded: a pneumonia is classified by its organism and
    # kind (a "lobar pneumonia", J18.1, is a kind the chart names as such)
    **dict.fromkeys(("lower lobe pneumonia", "upper lobe pneumonia", "middle lobe pneumonia"),
                    ("pneumonia",)),
    # nor is where a pneumonia was acquired: a community- or hospital-acquired pneumonia of
    # no stated organism is J18.9 (the organism and the kind are the axes of J12-J18; a
    # hospital-acquired one takes Y95 "Nosocomial condition" beside it); "acquired" alone
    # found P23.9's "infective pneumonia acquired in utero" first
    **dict.fromkeys(("community acquired pneumonia", "hospital acquired pneumonia"),
                    ("pneumonia",)),
    # Z59.0- "Homelessness": the adjective as the noun the titles write ("homeless" found
    # only Z59.02's inclusion term "Lives in a homeless encampment")
    "homeless": ("homelessness",),
    # I.C.15.b.2: routine prenatal outpatient visits are Z34 (supervision of normal pregnancy)
    "prenatal visit": ("supervision of normal pregnancy",),
    "prenatal care": ("supervision of normal pregnancy",),
    "prenatal checkup": ("supervision of normal pregnancy",),
    "routine prenatal visit": ("supervision of normal pregnancy",),
    "routine prenatal care": ("supervision of normal pregnancy",),
    # -- lay names
    "high blood pressure": ("hypertension",),
    "high bp": ("hypertension",),
    "low bp": ("hypotension",),
    "high triglycerides": ("hyperglyceridemia",),
    "low blood pressure": ("hypotension",),
    "heart attack": ("myocardial infarction",),
    "heart failure": ("heart failure",),
    "racing heart": ("tachycardia", "palpitations"),
    "blood clot": ("embolism and thrombosis", "thrombosis"),
    "blood clot in leg": ("deep vein thrombosis",),
    "stroke": ("cerebral infarction", "stroke"),
    "mini stroke": ("transient cerebral ischemic attack",),
    "sugar": ("diabetes mellitus",),
    "sugar diabetes": ("diabetes mellitus",),
    "low blood sugar": ("hypoglycemia",),
    "high cholesterol": ("hypercholesterolemia", "hyperlipidemia"),
    "underactive thyroid": ("hypothyroidism",),
    "goiter": ("goiter",),
    "flu": ("influenza",),
    "stomach flu": ("gastroenteritis",),
    "cold": ("common cold",),
    "chest cold": ("acute bronchitis",),
    "sore throat": ("pharyngitis",),
    "strep throat": ("streptococcal pharyngitis",),
    "strep": ("streptococcal",),
    "pink eye": ("conjunctivitis",),
    "stye": ("hordeolum",),
    "ear infection": ("otitis media",),
    "swimmers ear": ("otitis externa",),
    # an infection of the sinuses as people say it is acute sinusitis (J01.90); the
    # Index reads a bare "Sinusitis" as chronic (J32.9)
    "sinus infection": ("acute sinusitis", "sinusitis"),
    "hay fever": ("allergic rhinitis due to pollen", "hay fever"),
    "runny nose": ("rhinorrhea",),
    "stuffy nose": ("nasal congestion",),
    "nosebleed": ("epistaxis",),
    "nose bleed": ("epistaxis",),
    "bladder infection": ("cystitis",),
    "kidney infection": ("pyelonephritis",),
    # the adjective of an organ, read as written and as the organ the titles name (the
    # Neoplasm Table writes them so: "cervix (cervical) (uteri) (uterus)", "ovary",
    # "testis", "esophagus", "uterus, uteri, uterine", "endometrium", "colon"): "cervical
    # cancer" is C53.9 "Malignant neoplasm of cervix uteri", "ovarian cancer" C56.9.
    # "Cervical" is of the neck as well (the cervical spine, the titles' "cervical region"
    # as written; an injury's "neck": Index "Strain, neck S16.1-", "cervical strain" is
    # S16.1XXA), and of the cervix as Z12.4 "... malignant neoplasm of cervix" writes it
    # ("cervical cancer screening": Z12.4, not C53.9)
    "cervical": ("cervix uteri", "cervix", "neck level"),
    "ovarian": ("ovary",),
    "testicular": ("testis",),
    "esophageal": ("esophagus",),
    "uterine": ("uterus",),
    "endometrial": ("endometrium",),
    # the colon is the large intestine of the diverticular titles (Index: "Diverticulitis,
    # colon - see Diverticulitis, intestine, large" K57.32; "Diverticulosis, colon - see
    # Diverticulosis, intestine, large"; K57.2-/K57.3- say "large intestine"), the sigmoid
    # colon a part of it. Read so in those phrases only, as the Index sends only them: a
    # reading of every "colon" doubled the readings of "colon cancer" (C18.9 says "colon")
    "colonic": ("colon",),
    **{f"{a} {b}": (f"{d} large intestine",) for d in ("diverticulitis", "diverticulosis")
       for a, b in ((d, "colon"), ("colon", d), ("colonic", d), ("sigmoid", d),
                    (d, "sigmoid"))},
    "hepatic": ("liver",),
    "pancreatic": ("pancreas",),
    "kidney stone": ("calculus of kidney",),
    # Index: "Gallstone (colic) (cystic duct) (gallbladder) (impacted) (multiple) - see
    # Calculus, gallbladder" (K80.20); the gallstone ileus (K56.3), whose title says the
    # word, is its subterm and came first
    "gallstone": ("calculus of gallbladder",),
    "acid reflux": ("gastro esophageal reflux disease",),
    "reflux": ("gastro esophageal reflux disease",),
    "heartburn": ("heartburn",),
    "indigestion": ("dyspepsia",),
    "stomach ache": ("abdominal pain",),
    "stomach pain": ("abdominal pain",),
    "belly pain": ("abdominal pain",),
    "throwing up": ("vomiting",),
    "upset stomach": ("nausea",),
    "piles": ("hemorrhoids",),
    "bed wetting": ("enuresis",),
    "bedwetting": ("enuresis",),
    "shortness of breath": ("shortness of breath", "dyspnea"),
    "short of breath": ("shortness of breath",),
    "trouble breathing": ("dyspnea",),
    "wheezing": ("wheezing",),
    "fainting": ("syncope",),
    "fainted": ("syncope",),
    "passed out": ("syncope",),
    "dizzy": ("dizziness",),
    "lightheaded": ("dizziness",),
    "vertigo": ("vertigo",),
    "tired": ("fatigue",),
    "tiredness": ("fatigue",),
    "weakness": ("weakness", "asthenia"),
    "memory loss": ("memory deficit", "amnesia"),
    "alzheimers": ("alzheimer disease",),
    "parkinsons": ("parkinson disease",),
    "seizure": ("seizures", "epilepsy"),
    "fits": ("seizures",),
    "pins and needles": ("paresthesia",),
    "numbness": ("anesthesia of skin", "numbness"),
    "sleeplessness": ("insomnia",),
    "cant sleep": ("insomnia",),
    "depression": ("depression",),
    "sadness": ("depression",),
    "anxiety": ("anxiety disorder", "anxiety"),
    "panic attack": ("panic disorder",),
    "bipolar": ("bipolar disorder",),
    "manic depression": ("bipolar disorder",),
    "eating disorder": ("eating disorder",),
    "drinking problem": ("alcohol abuse",),
    "alcoholism": ("alcohol dependence",),
    "drug addiction": ("drug dependence",),
    "smoker": ("nicotine dependence",),
    "former smoker": ("personal history of nicotine dependence",),
    "ex smoker": ("personal history of nicotine dependence",),
    "quit smoking": ("personal history of nicotine dependence",),
    "smoking": ("nicotine dependence", "tobacco use"),
    "vaping": ("vaping related disorder", "nicotine dependence"),
    "back pain": ("back pain", "dorsalgia"),
    "lower back pain": ("low back pain",),
    "low back pain": ("low back pain", "lumbago"),
    "slipped disc": ("intervertebral disc displacement",),
    "herniated disc": ("intervertebral disc displacement",),
    "pinched nerve": ("radiculopathy",),
    "stiff neck": ("cervicalgia",),
    "neck pain": ("cervicalgia",),
    "knee pain": ("pain in knee",),
    "hip pain": ("pain in hip",),
    "shoulder pain": ("pain in shoulder",),
    "joint pain": ("arthralgia", "pain in joint"),
    "arthritis": ("arthritis", "osteoarthritis"),
    "wear and tear arthritis": ("osteoarthritis",),
    "brittle bones": ("osteoporosis",),
    "broken": ("fracture",),
    "broke": ("fracture",),
    "broken bone": ("fracture",),
    "broken hip": ("fracture of neck of femur",),
    "fractured hip": ("fracture of neck of femur",),
    "hip fracture": ("fracture of neck of femur",),
    "fracture of hip": ("fracture of neck of femur",),
    "sprain": ("sprain",),
    "pulled muscle": ("strain",),
    "tennis elbow": ("lateral epicondylitis",),
    "golfers elbow": ("medial epicondylitis",),
    "heel pain": ("plantar fascial fibromatosis", "pain in foot"),
    "bunion": ("hallux valgus",),
    "athletes foot": ("tinea pedis",),
    "ringworm": ("tinea corporis", "dermatophytosis"),
    "jock itch": ("tinea cruris",),
    "yeast infection": ("candidiasis",),
    "thrush": ("candidiasis of mouth", "oral candidiasis"),
    "cold sore": ("herpesviral vesicular dermatitis", "herpes simplex"),
    "fever blister": ("herpesviral vesicular dermatitis",),
    "shingles": ("zoster",),
    "measles": ("measles",),
    "mumps": ("mumps",),
    "whooping cough": ("whooping cough", "pertussis"),
    "mono": ("infectious mononucleosis",),
    "lice": ("pediculosis",),
    "scabies": ("scabies",),
    "hives": ("urticaria",),
    "rash": ("rash",),
    "psoriasis": ("psoriasis",),
    "pimples": ("acne",),
    "wart": ("verruca", "viral wart"),
    "mole": ("nevus",),
    # the tabular's own spelling (A04.7-: "Pseudomembraneous colitis"), and the usual name
    "pseudomembranous": ("pseudomembraneous",),
    # the organism's name before 2016 is the one of most titles ("Enterocolitis due to
    # Clostridium difficile, recurrent"), the newer one of the inclusion terms
    "c diff": ("clostridioides difficile", "clostridium difficile"),
    "c difficile": ("clostridioides difficile", "clostridium difficile"),
    # "Sepsis due to Escherichia coli [E. coli]": the bracketed name is a text of its own
    "e coli": ("escherichia coli",),
    "bee sting": ("toxic effect of venom of bees",),
    "wasp sting": ("toxic effect of venom of wasps",),
    "hornet sting": ("toxic effect of venom of hornets",),
    "poison ivy": ("allergic contact dermatitis due to plants",),
    "poison oak": ("allergic contact dermatitis due to plants",),
    "poison sumac": ("allergic contact dermatitis due to plants",),
    "itching": ("pruritus",),
    "itchy": ("pruritus",),
    "itch": ("pruritus",),
    "dog bite": ("bitten by dog",),
    "cat bite": ("bitten by cat",),
    "bug bite": ("insect bite",),
    "cut": ("laceration",),
    "bruise": ("contusion",),
    "burn": ("burn",),
    "concussion": ("concussion",),
    "deaf": ("deafness", "hearing loss"),
    "ringing in ears": ("tinnitus",),
    "ringing ears": ("tinnitus",),
    "blurry vision": ("blurred vision",),
    "blurred vision": ("blurred vision",),
    "pink eye infection": ("conjunctivitis",),
    "cataracts": ("cataract",),
    "glaucoma": ("glaucoma",),
    "near sighted": ("myopia",),
    "nearsighted": ("myopia",),
    "far sighted": ("hypermetropia",),
    "farsighted": ("hypermetropia",),
    "lazy eye": ("amblyopia",),
    "cross eyed": ("strabismus",),
    "tooth decay": ("dental caries",),
    "cavity": ("dental caries",),
    "toothache": ("toothache",),
    "gum disease": ("periodontitis", "gingivitis"),
    "anemia": ("anemia",),
    "low iron": ("iron deficiency anemia",),
    "bleeding": ("hemorrhage",),
    "blood in urine": ("hematuria",),
    "blood in stool": ("blood in stool", "melena"),
    "pee": ("urine",),
    "peeing": ("urination",),
    "frequent urination": ("frequency of micturition",),
    "leaking urine": ("urinary incontinence",),
    "incontinence": ("incontinence",),
    "impotence": ("erectile dysfunction",),
    "infertility": ("infertility",),
    "pregnancy": ("pregnancy", "pregnant state"),
    "miscarriage": ("spontaneous abortion",),
    "morning sickness": ("hyperemesis gravidarum", "vomiting of pregnancy"),
    "period pain": ("dysmenorrhea",),
    "painful periods": ("dysmenorrhea",),
    "heavy periods": ("excessive menstruation",),
    "heavy menstrual bleeding": ("excessive menstruation", "menorrhagia"),
    "abnormal pap": ("abnormal cytological findings in specimens from cervix uteri",),
    "abnormal pap smear": ("abnormal cytological findings in specimens from cervix uteri",),
    "missed period": ("amenorrhea",),
    "menopause": ("menopausal",),
    "hot flashes": ("menopausal and female climacteric states",),
    "breast lump": ("lump in breast",),
    "cancer": ("malignant neoplasm",),
    "tumor": ("neoplasm",),
    "leukemia": ("leukemia",),
    "lymphoma": ("lymphoma",),
    "skin cancer": ("malignant neoplasm of skin", "melanoma"),
    "lung nodule": ("solitary pulmonary nodule", "pulmonary nodule"),
    "sacrum": ("sacral region",),
    "overweight": ("overweight",),
    "obese": ("obesity",),
    "morbid obesity": ("morbid obesity",),
    "underweight": ("underweight",),
    "weight loss": ("abnormal weight loss",),
    "weight gain": ("abnormal weight gain",),
    "dehydrated": ("dehydration",),
    "malnutrition": ("malnutrition",),
    "vitamin d deficiency": ("vitamin d deficiency",),
    "vitamin b12 deficiency": ("vitamin b12 deficiency",),
    "food poisoning": ("foodborne intoxication", "food poisoning"),
    "allergy": ("allergy",),
    "allergic reaction": ("allergic reaction", "allergy"),
    "checkup": ("general adult medical examination",),
    "check up": ("general adult medical examination",),
    "physical": ("general medical examination",),
    "annual physical": ("general adult medical examination",),
    "physical exam": ("general medical examination",),
    # a physical for a sport is Z02.5 "Encounter for examination for participation in
    # sport" (Index: Examination, medical, sport competition Z02.5), not a general exam
    "sports physical": ("examination for participation in sport",),
    "sports physical exam": ("examination for participation in sport",),
    "sport physical": ("examination for participation in sport",),
    "annual exam": ("general adult medical examination",),
    "well child": ("routine child health examination",),
    "well baby": ("routine child health examination",),
    "shot": ("immunization", "injection"),
    "shots": ("immunization",),
    "vaccine": ("immunization", "vaccine"),
    "vaccination": ("immunization",),
    "flu shot": ("immunization", "influenza vaccine"),
    "flu vaccine": ("immunization", "influenza vaccine"),
    "mammogram": ("mammogram", "mammography"),
    "pap smear": ("cervical smear",),
    "colonoscopy": ("colonoscopy",),
    # a drug as its class, as the codes that name it write it (T45.51- "Poisoning by
    # anticoagulants", T38.3X- "... oral hypoglycemic drugs"); the drug named alone is
    # also its long term use (:data:`ALONE`)
    **dict.fromkeys(_ANTICOAGULANTS, ("anticoagulants",)),
    **dict.fromkeys(_ANTIPLATELETS, ("antiplatelets",)),
    **dict.fromkeys(_ORAL_HYPOGLYCEMICS, ("oral hypoglycemic drugs",)),
    "anticoagulation": ("anticoagulants",),
    "blood thinner": ("anticoagulant",),
    "blood thinners": ("anticoagulants",),
    "kidney disease": ("kidney disease",),
    "liver disease": ("liver disease",),
    "fatty liver": ("fatty liver",),
    "cirrhosis": ("cirrhosis of liver",),
    "hepatitis c": ("viral hepatitis c",),
    "hep c": ("viral hepatitis c",),
    "hep b": ("viral hepatitis b",),
    "water pill": ("diuretic",),
    "wheelchair bound": ("dependence on wheelchair",),
    "walker": ("walker",),
    "oxygen": ("oxygen",),
    "ambulance": ("ambulance",),
    # an ambulance transport's mileage is the ground mileage (A0425, CMS's long descriptor
    # "Ground mileage, per statute mile", billed with the ground ambulance's base rate;
    # A0888 "Noncovered ambulance mileage" is the mileage past the nearest facility)
    "ambulance mileage": ("ground mileage",),
    "test strips": ("reagent strips",),
    "glucose strips": ("blood glucose reagent strips",),
    "sugar test strips": ("blood glucose reagent strips",),
    "b12": ("vitamin b12", "cyanocobalamin"),
    "b12 shot": ("vitamin b12 injection",),
    "cpap": ("continuous positive airway pressure",),
    "cpap humidifier": ("humidifier heated used with pap",),
    "nasal mask": ("nasal application device",),
    "glucometer": ("blood glucose monitor home",),
    "ankle foot orthosis": ("afo",),
    # a bi-level device is a respiratory assist device (RAD in CMS short descriptors:
    # E0470 "Rad w/o backup non-inv intfc")
    "bipap": ("bi level pressure capability", "respiratory assist device", "rad backup"),
    "bilevel": ("bi level pressure capability", "respiratory assist device", "rad backup"),
    "bi level": ("bi level pressure capability", "respiratory assist device", "rad backup"),
    # DME words as suppliers say them, with the abbreviations of the CMS short
    # descriptors (KO knee orthosis, AFO ankle-foot orthosis, CGM, TENS)
    "knee brace": ("knee orthosis", "ko"),
    "ankle brace": ("ankle foot orthosis", "afo"),
    "continuous glucose monitor": ("cgm", "continuous glucose monitor"),
    "cgm": ("continuous glucose monitor",),
    "insulin pump": ("external ambulatory infusion pump insulin", "insulin pump"),
    "feeding pump": ("enteral nutrition infusion pump",),
    "enteral feeding pump": ("enteral nutrition infusion pump",),
    "tens unit": ("tens", "transcutaneous electrical nerve stimulation device"),
    "nebulizer": ("nebulizer",),
    "hearing aid": ("hearing aid",),
    "glasses": ("spectacles", "eyeglasses"),
    "contacts": ("contact lens",),
    "crutches": ("crutches",),
    "cane": ("cane",),
    "brace": ("orthosis", "brace"),
    "diabetic shoes": ("shoe for diabetics", "diabetic shoe"),
    "welcome to medicare": ("initial preventive examination",),
    "welcome to medicare visit": ("initial preventive examination",),
    # the initial preventive physical examination (IPPE, Medicare's "Welcome to Medicare"
    # visit: G0402 "Initial preventive exam")
    "ippe": ("initial preventive examination",),
    # a Hoyer lift is the hydraulic (manual) patient lift by its maker's name: E0630
    # "Patient lift hydraulic" (E0635 is the electric one)
    "hoyer lift": ("patient lift hydraulic",),
    "telehealth": ("telehealth",),
    "telemedicine": ("telehealth",),
    # the site where the patient is, which bills the facility fee (CMS's long descriptor
    # of Q3014: "Telehealth originating site facility fee"; its short one says "Telehealth
    # facility fee")
    "originating site": ("facility fee",),
    "originating site fee": ("facility fee",),
    # -- brand names of drugs -> the generic name descriptors use
    "toradol": ("ketorolac",),
    "rocephin": ("ceftriaxone",),
    "zofran": ("ondansetron",),
    "depo provera": ("medroxyprogesterone",),
    "phenergan": ("promethazine",),
    "benadryl": ("diphenhydramine",),
    "lasix": ("furosemide",),
    "narcan": ("naloxone",),
    "lovenox": ("enoxaparin",),
    "rhogam": ("rho d immune globulin",),
    "humira": ("adalimumab",),
    "prolia": ("denosumab",),
    # Neulasta is the reference product (J2506 "excludes biosimilar"); the biosimilars'
    # short descriptors name them by brand (Q5108 "Injection, fulphila")
    "neulasta": ("pegfilgrastim excludes biosimilar", "pegfilgrast ex bio"),
    "pegfilgrastim": ("pegfilgrast", "fulphila", "udenyca", "nyvepria", "stimufend",
                      "fylnetra", "ziextenzo"),
    "keytruda": ("pembrolizumab",),
    "opdivo": ("nivolumab",),  # DailyMed: OPDIVO (nivolumab) injection, J9299
    "botox": ("onabotulinumtoxina",),
    # the Table of Drugs and Chemicals puts acetaminophen (paracetamol) at T39.1X-, whose
    # title names the class: "4-Aminophenol derivatives"
    "tylenol": ("acetaminophen", "4 aminophenol derivatives"),
    "acetaminophen": ("acetaminophen", "4 aminophenol derivatives"),
    "paracetamol": ("acetaminophen", "4 aminophenol derivatives"),
    "ativan": ("lorazepam",),
    "haldol": ("haloperidol",),
    "dilaudid": ("hydromorphone",),
    "demerol": ("meperidine",),
    "vistaril": ("hydroxyzine",),
    "decadron": ("dexamethasone",),
    "kenalog": ("triamcinolone acetonide",),  # DailyMed: "triamcinolone acetonide"
    # the salt names the reference product's label gives it (DailyMed: SOLU-MEDROL
    # "methylprednisolone sodium succinate for injection", DEPO-MEDROL "methylprednisolone
    # acetate injectable suspension", SOLU-CORTEF "hydrocortisone sodium succinate"): J2919,
    # J1010, J1720, not J7509 (oral)
    "depo medrol": ("methylprednisolone acetate",),
    "solu medrol": ("methylprednisolone sodium succinate",),
    "solu cortef": ("hydrocortisone sodium succinate",),
    # reference products by their labels' generic names (DailyMed: AVASTIN (bevacizumab),
    # REMICADE (infliximab), HERCEPTIN (trastuzumab), RITUXAN (rituximab), EYLEA
    # (aflibercept), LUCENTIS (ranibizumab), ARANESP (darbepoetin alfa), EPOGEN and PROCRIT
    # (epoetin alfa), NEUPOGEN (filgrastim), XGEVA (denosumab), RECLAST and ZOMETA
    # (zoledronic acid), VENOFER (iron sucrose))
    "avastin": ("bevacizumab",),
    "remicade": ("infliximab",),
    "herceptin": ("trastuzumab",),
    "rituxan": ("rituximab",),
    "eylea": ("aflibercept",),
    "lucentis": ("ranibizumab",),
    "aranesp": ("darbepoetin alfa",),
    "epogen": ("epoetin alfa",),
    "procrit": ("epoetin alfa",),
    "neupogen": ("filgrastim",),
    "xgeva": ("denosumab",),
    "reclast": ("zoledronic acid",),
    "zometa": ("zoledronic acid",),
    "venofer": ("iron sucrose",),
    # the biosimilars of bevacizumab, named by brand in their short descriptors (Q5107 "Inj
    # mvasi 10 mg", Q5118 zirabev, Q5126 alymsys, Q5129 vegzelma, Q5160 jobevne; the CMS
    # long descriptors: "Injection, bevacizumab-awwb, biosimilar, (mvasi), 10 mg")
    "bevacizumab": ("mvasi", "zirabev", "alymsys", "vegzelma", "jobevne"),
    # J3420's long descriptor: "Injection, vitamin b-12 cyanocobalamin, up to 1,000 mcg"
    "cyanocobalamin": ("vitamin b12",),
    # -- a procedure, as the status it leaves (I.C.21.c.3: status Z codes): a joint replaced
    # is the presence of an artificial joint (Z96.6-), an organ removed its acquired absence
    # (Z90; "postprocedural ... loss of body part NEC"), in the words of those titles. The
    # gallbladder and the appendix are parts of the digestive tract (chapter 11: K35-K38,
    # K80-K87) without a code of their own: Z90.49.
    "knee replacement": ("artificial knee joint",),
    "total knee replacement": ("artificial knee joint",),
    "knee arthroplasty": ("artificial knee joint",),
    "tka": ("artificial knee joint",),
    "tkr": ("artificial knee joint",),
    "hip replacement": ("artificial hip joint",),
    "total hip replacement": ("artificial hip joint",),
    "hip arthroplasty": ("artificial hip joint",),
    "tha": ("artificial hip joint",),
    "thr": ("artificial hip joint",),
    "shoulder replacement": ("artificial shoulder joint",),
    "shoulder arthroplasty": ("artificial shoulder joint",),
    "ankle replacement": ("artificial ankle joint",),
    "elbow replacement": ("artificial elbow joint",),
    "wrist replacement": ("artificial wrist joint",),
    "valve replacement": ("prosthetic heart valve", "heart valve replacement"),
    "cholecystectomy": ("acquired absence of other specified parts of digestive tract",),
    "appendectomy": ("acquired absence of other specified parts of digestive tract",),
    "hysterectomy": ("acquired absence of uterus",),
    "mastectomy": ("acquired absence of breast",),
    "nephrectomy": ("acquired absence of kidney",),
    "splenectomy": ("acquired absence of spleen",),
    "gastrectomy": ("acquired absence of stomach",),
    "pancreatectomy": ("acquired absence of pancreas",),
    "pneumonectomy": ("acquired absence of lung",),
    "lobectomy": ("acquired absence of lung",),
    "laryngectomy": ("acquired absence of larynx",),
}

#: Phrases whose small word (a stop word elsewhere) says what they mean: a neoplasm
#: "metastatic to" a site is a secondary one of that site (Index: "Metastasis, metastatic -
#: to specified site - see Neoplasm, secondary, by site"); "metastatic breast cancer" says
#: no such thing (from a site: the primary) and is left to its words.
DIRECTED: dict[str, tuple[str, ...]] = {
    "metastatic to": ("secondary malignant neoplasm of",),
    "metastasis to": ("secondary malignant neoplasm of",),
    "metastases to": ("secondary malignant neoplasm of",),
    "mets to": ("secondary malignant neoplasm of",),
    "spread to": ("secondary malignant neoplasm of",),
}

#: Query phrases that say whose condition it is, or when, rather than which condition
#: (ICD-10-CM Index main terms "History" and "Status"), each with its reading: a history
#: of the patient's own (the Index reads a bare "History" as personal: Z85-Z87, Z91.8-,
#: and an old myocardial infarction I25.2, I.C.9.e.4), of the family (Z80-Z84), a status
#: after a procedure (I.C.21.c.3). Read on the query's words once abbreviations are
#: written out ("hx" is "history").
MARKERS: dict[str, str] = {
    "history": "history", "h o": "history", "personal history": "history",
    "past history": "history", "past medical history": "history", "pmh": "history",
    "family history": "family",
    "status post": "status", "s p": "status", "post status": "status",
}

#: Per reading: (words one of which a text must say to be of it, words it must not say,
#: words it may say without saying more than the query asked). A text of another reading
#: never ranks above one of the query's ("history of myocardial infarction": I25.2 Old
#: myocardial infarction, never I21.9 Acute myocardial infarction above it).
READINGS: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {
    # a history of a procedure is the status it left ("history of hysterectomy": Z90.710);
    # status asthmaticus, epilepticus, migrainosus are no status of the kind
    "history": (frozenset({"history", "old", "healed", "past", "status", "presence",
                           "absence"}),
                frozenset({"family", "asthmaticus", "epilepticus", "migrainosus"}),
                frozenset({"personal", "history", "old", "healed", "past", "status",
                           "presence", "absence", "acquired"})),
    "family": (frozenset({"family"}), frozenset(), frozenset({"family", "history"})),
    # status post a condition is its history: "s/p MI" is an old myocardial infarction
    # (I25.2, I.C.9.e.4), as "history of MI" is
    "status": (frozenset({"status", "presence", "absence", "history", "old", "healed"}),
               frozenset({"family", "asthmaticus", "epilepticus", "migrainosus"}),
               frozenset({"status", "post", "presence", "absence", "acquired", "personal",
                          "history", "old", "healed"})),
}

#: Phrases of the classification's default (:class:`codekit._search.Reading`), each with
#: the words of it a text may say without saying more than the query asked, the words of
#: a query that say otherwise, and the words one of which a query names the condition by.
#: The Index reads a major depressive disorder as a single episode unless it is said
#: recurrent ("Disorder, depressive, major (single episode) F32.9"; F33 needs the
#: recurrence documented), and its remission as full unless said partial ("- in remission
#: (full) F32.5 - partial F32.4"). So "mdd mild" is F32.0 "Major depressive disorder,
#: single episode, mild", not F33.0 "..., recurrent, mild", which came first as "single
#: episode" counted against F32.0; "mdd, remission" reads as F32.5 (a recurrent one's
#: remission has its unspecified code, F33.40: "full" is free in a single episode's text
#: only). Those words are left out of the text's words, not counted as matched: "disorder"
#: alone finds no F32.5.
DEFAULT_PHRASES: dict[str, tuple[str, str, str]] = {
    "single episode": ("single episode", "recurrent single episode", "depressive depression"),
    "single episode in full remission": ("full", "full partial", "depressive depression"),
}

#: Words of a text that say its condition came after another ("Hemiplegia and hemiparesis
#: following cerebral infarction", I69.35-): such a text is of a "history of" or "status
#: post" reading when it matches more of the query than every text of that reading, i.e.
#: the deficit the query names as well as the old condition ("s/p CVA with hemiparesis":
#: I69.359; I.C.9.d, category I69 for deficits that persist; Z86.73 is the history of a
#: cerebral infarction without residual deficits). "s/p MI" stays I25.2: "Other current
#: complications following acute myocardial infarction" (I23.8) matches no more of it.
AFTER = frozenset({"following"})

#: Words of a text that narrow it to a kind the query must name to get it, each with the
#: query words (or readings) that name it: "hyponatremia" is E87.1, not P74.22 Hyponatremia
#: of newborn; "syncope" is R55, not T67.1 Heat syncope; "diabetic foot ulcer" is no
#: personal history (Z86.31). A text with such a word the query does not name ranks lower.
QUALIFIERS: dict[str, frozenset[str]] = {
    "history": frozenset({"history", "family", "status"}),
    "family": frozenset({"family"}),
    "newborn": frozenset({"newborn", "neonatal", "neonate", "perinatal", "infant", "baby"}),
    "neonatal": frozenset({"newborn", "neonatal", "neonate", "perinatal", "infant", "baby"}),
    "perinatal": frozenset({"newborn", "neonatal", "neonate", "perinatal", "infant", "baby"}),
    "heat": frozenset({"heat", "hot", "sun", "sunstroke", "heatstroke"}),
    # a mother's care for a condition of the fetus (O35-O36 "Maternal care for ...") is
    # a subterm of the Index ("Infection, cytomegalovirus B25.9 ... maternal, maternal
    # care for (suspected) damage to fetus O35.3"), never its default: "cytomegalovirus
    # infection" is B25.9, not O35.3XX0
    "maternal": frozenset({"maternal", "mother", "pregnancy", "pregnant", "fetus", "fetal",
                           "antepartum", "obstetric", "obstetrical", "gestation",
                           "gestational", "prenatal", "antenatal", "trimester",
                           "puerperium", "puerperal", "postpartum", "delivery", "labor",
                           "childbirth", "maternity"}),
    # a congenital condition is a subterm of the Index, never its default: "Ptosis
    # (adiposa) (turbulent) H02.409 ... congenital Q10.0", "Diverticulitis K57.92 ...
    # congenital - see Distortion", "Cyst, kidney (acquired) N28.1 ... congenital Q61.00"
    # -- but for the conditions whose main term the Index says congenital by default, which
    # name the kind: "Clubfoot (congenital) Q66.89 ... acquired M21.54-", "Talipes
    # (congenital) Q66.89" (Q66.89's inclusions "Congenital clubfoot NOS", "Congenital
    # talipes NOS"), "Laryngomalacia (congenital) Q31.5"
    "congenital": frozenset({"congenital", "birth", "newborn", "neonatal", "neonate",
                             "perinatal", "infant", "baby", "inborn", "clubfoot", "clubfeet",
                             "talipe", "talipes", "laryngomalacia"}),
    # a malignant neoplasm is primary unless said secondary (the Neoplasm Table's first
    # column; Index: "Cancer - see Neoplasm, by site, malignant"): "kidney cancer" is
    # C64.9, not C79.00 "Secondary malignant neoplasm of ... kidney"; so too a secondary
    # osteoarthritis or hypertension the query does not name
    "secondary": frozenset({"secondary", "metastatic", "metastasis", "metastase", "mets",
                            "met", "spread"}),
    # an ulcer not said to be a pressure ulcer is not one (L89 against L97, L98.4:
    # "Non-pressure chronic ulcer"), a diabetic foot ulcer least of all
    "pressure": frozenset({"pressure", "decubitus", "bedsore", "bed", "pressured"}),
    # a neoplasm is what a query says is one: "left lower lobe pneumonia" is a pneumonia
    # (J18.9), not the malignant neoplasm of the lower lobe of the left lung (C34.32) whose
    # title has three of its four words; "lung mass" is R91.8 (Index: Mass, lung). A word
    # ending in -oma (``*oma``: carcinoma, lipoma, melanoma, and hematoma or glaucoma too,
    # which then only keeps the ranking of before) names one, as do the words of a
    # neoplasm's reading ("metastatic to") and a screening (Z12: "Encounter for
    # screening for malignant neoplasm of ...")
    "neoplasm": frozenset({"*oma", "neoplasm", "neoplastic", "neoplasia", "cancer",
                           "cancerous", "ca", "malignant", "malignancy", "tumor", "tumour",
                           "metastatic", "metastasis", "metastase", "mets", "met",
                           "leukemia", "leukaemia", "situ", "carcinoid", "oncology",
                           "benign", "screening", "mammogram", "mammography"}),
}

#: Side words: a query's side weighs as much as its other words (I.B.13: code the side
#: documented), and one side says "unilateral" too.
SIDES: dict[str, frozenset[str]] = {
    "left": frozenset({"unilateral"}), "right": frozenset({"unilateral"}),
    "bilateral": frozenset(),
}

#: Words a query says a side with, as the side word the classification writes: "both
#: knees" are the bilateral ones ("osteoarthritis of both knees": M17.0 "Bilateral primary
#: osteoarthritis of knee"; "hearing loss both ears": H91.93 "..., bilateral").
SIDE_NAMES: dict[str, str] = {"both": "bilateral"}

#: An item a query names and nothing else -> its standard model, as the CMS short
#: descriptors write it: read only when it is the whole query (a DME supplier's "walker"
#: is E0135 or E0143, not E0140 with trunk support; "wheelchair" K0001, not G9156 an
#: evaluation for one; "cane" E0100, not E2207 a holder for one), never inside a longer
#: one ("walker seat" is a seat, "wheelchair battery" a battery). HCPCS Level II search
#: only (``Index.items``): other code systems' texts do not write these models.
ITEMS: dict[str, tuple[str, ...]] = {
    "walker": ("walker folding adjustable fixed",),
    "rolling walker": ("walker folding wheeled",),
    "wheeled walker": ("walker folding wheeled",),
    "wheelchair": ("standard wheelchair",),
    "cane": ("cane adjustable fixed with tip",),
    "crutches": ("crutch underarm pair",),
    "commode": ("commode chair with fixed arm",),
    "bedside commode": ("commode chair with fixed arm",),
    "nebulizer": ("nebulizer with compression",),
    "cpap": ("continuous airway pressure device",),
    "oxygen tank": ("portable gaseous oxygen",),
    "diabetic shoes": ("diabetic shoe for density insert",),
    # a soft (foam) collar: L0120 "Cerv flex n/adj foam pre ots" (CMS long descriptor:
    # "Cervical, flexible, nonadjustable, prefabricated, off-the-shelf (foam collar)"; a
    # collar molded to the patient, L0170, came first for "soft cervical collar")
    **dict.fromkeys(("soft cervical collar", "soft collar", "foam collar"),
                    ("cerv flex foam",)),
    # frames: V2020 "Vision svcs frames purchases" (V2025 "Eyeglasses delux frames" is the
    # deluxe frame Medicare does not cover, which came first)
    **dict.fromkeys(("frames", "eyeglass frames", "eyeglasses frames", "glasses frames"),
                    ("vision services frames purchases",)),
}

#: An ICD-10-CM query that names a drug and nothing else (but a small word: "on eliquis")
#: -> the drug's long term use (Z79: a patient "on" a drug, in a problem list or a
#: medication list, takes it long term; Guidelines I.C.21.c.3, status), read only when it
#: is the whole query (``Index.items``): "insulin overdose" is a poisoning (T38.3X1A: the
#: Index's "Overdose - see Table of Drugs and Chemicals, by drug, poisoning"), not Z79.4,
#: as it was while "on insulin" (its "on" a stop word) read every "insulin" as long term
#: use. "overdose" alone is of a drug not named: the Table of Drugs and Chemicals' "Drug
#: NEC", T50.90- (T65.91 "Toxic effect of unspecified substance", whose inclusion term is
#: "Poisoning NOS", is of a substance, not a drug).
ALONE: dict[str, tuple[str, ...]] = {
    "insulin": ("long term current use of insulin",),
    **dict.fromkeys(_ANTICOAGULANTS, ("long term current use of anticoagulants",)),
    "anticoagulation": ("long term current use of anticoagulants",),
    **dict.fromkeys(_ANTIPLATELETS, ("long term current use of antithrombotics antiplatelets",)),
    **dict.fromkeys(_ORAL_HYPOGLYCEMICS, ("long term current use of oral hypoglycemic drugs",)),
    "overdose": ("poisoning by unspecified drugs medicaments and biological substances",),
}

#: Abbreviations of CMS short descriptors -> words (HCPCS Level II text, indexed). A key
#: of two words is a phrase, read before its words (``lwr ext``: "lower extremity", where
#: ``ext`` alone is "external").
DESCRIPTOR: dict[str, str] = {
    "inj": "injection", "injec": "injection", "adm": "administration",
    "admin": "administration", "vac": "vaccine", "vacc": "vaccine", "w": "with",
    "wo": "without", "w/o": "without", "ea": "each", "eac": "each", "mg": "mg",
    "mcg": "mcg", "ml": "ml", "oz": "oz", "sup": "supply", "supp": "supply",
    "supl": "supply", "suppl": "supply", "equip": "equipment", "eqp": "equipment",
    "acc": "accessory", "access": "accessory", "dev": "device", "devc": "device",
    "svc": "service", "svcs": "services", "serv": "service", "hr": "hour", "hrs": "hours",
    "min": "minutes", "mins": "minutes", "wk": "week", "mo": "month", "yr": "year",
    "scrn": "screening", "screen": "screening", "scr": "screening", "hi": "high",
    "rsk": "risk", "ind": "individual", "indiv": "individual", "ca": "cancer",
    "colon": "colon", "colorectal": "colorectal", "mammo": "mammography",
    "ppps": "personalized prevention plan services annual wellness visit",
    "subseq": "subsequent", "subsq": "subsequent", "init": "initial",
    "prev": "preventive", "prevent": "preventive", "exam": "examination",
    "eval": "evaluation", "assess": "assessment", "asmt": "assessment", "tx": "treatment",
    "trtmt": "treatment", "dx": "diagnostic", "diag": "diagnostic", "ther": "therapy",
    "thera": "therapy", "rx": "prescription", "pt": "patient", "pts": "patients",
    "hh": "home health", "hosp": "hospital", "trans": "transport",
    # "amb" is ambulatory in every short descriptor that writes it (E0784 "Ext amb infusn
    # pump insulin", E0779, A9274): the ambulance codes write "Ambulance" or ALS/BLS
    "amb": "ambulatory", "infusn": "infusion", "phos": "phosphate",
    # "ext": external (E0617, E0784, A4356), except in the phrases below
    "ext": "external", "lwr ext": "lower extremity", "low ext": "lower extremity",
    "lower ext": "lower extremity", "up ext": "upper extremity", "upp ext": "upper extremity",
    "upper ext": "upper extremity", "ext flex": "extension flexion",
    "flex ext": "flexion extension", "ext wear": "extended wear", "ext rel": "extended release",
    "ext line": "extension line",
    # "02" (zero) is O2 in every descriptor that writes it (E0431 "Portable gaseous 02")
    "02": "oxygen",
    # ALS/BLS level 1, written as one word (A0427 "Als1-emergency")
    "als1": "advanced life support 1", "als2": "advanced life support 2",
    "bls1": "basic life support 1",
    "transp": "transport", "emer": "emergency", "emerg": "emergency", "nonemer": "non emergency",
    "bls": "basic life support", "als": "advanced life support",
    "wc": "wheelchair", "whlchr": "wheelchair", "whchr": "wheelchair", "wheelchr": "wheelchair",
    "std": "standard", "stnd": "standard", "lt": "light", "lightwt": "lightweight",
    "hvy": "heavy", "hd": "heavy duty", "adj": "adjustable", "adjust": "adjustable",
    "fold": "folding", "fld": "folding", "wheeled": "wheeled", "whl": "wheel",
    "whls": "wheels", "pr": "pair", "prs": "pairs", "bx": "box", "pk": "pack",
    "glucose": "glucose", "gluc": "glucose", "bld": "blood", "blood": "blood",
    "strp": "strips", "strips": "strips", "reag": "reagent", "monitr": "monitor",
    "mon": "monitor", "mntr": "monitor", "elec": "electric", "elect": "electric",
    "pwr": "power", "pwd": "power", "resp": "respiratory", "cont": "continuous",
    "contin": "continuous", "pos": "positive", "press": "pressure", "neb": "nebulizer",
    "compr": "compressor", "comp": "compressor", "conc": "concentrator",
    "concent": "concentrator", "o2": "oxygen", "oxy": "oxygen", "cath": "catheter",
    "cathet": "catheter", "drsg": "dressing", "dres": "dressing", "surg": "surgical",
    "ster": "sterile", "nonster": "non sterile", "disp": "disposable", "repl": "replacement",
    "replace": "replacement", "ortho": "orthotic", "orth": "orthotic", "pros": "prosthetic",
    "prosth": "prosthetic", "diab": "diabetic", "diabet": "diabetic", "dens": "density",
    "insrt": "insert", "ins": "insert", "custm": "custom", "cust": "custom",
    "prefab": "prefabricated", "ctrl": "control", "mgmt": "management", "mgt": "management",
    "educ": "education", "couns": "counseling", "counsl": "counseling",
    "behav": "behavioral", "hlth": "health", "ment": "mental", "alc": "alcohol",
    "alcohol": "alcohol", "subst": "substance", "abuse": "abuse", "tob": "tobacco",
    "dep": "depression", "depress": "depression", "annual": "annual", "ann": "annual",
    "hep": "hepatitis", "hiv": "hiv", "tele": "telehealth", "telehlth": "telehealth",
    "fac": "facility", "facil": "facility", "orig": "originating", "ofc": "office",
    "off": "office", "vis": "visit", "vst": "visit", "phys": "physician",
    "md": "physician", "np": "nurse practitioner", "rn": "registered nurse",
    "lpn": "licensed practical nurse", "lab": "laboratory", "spec": "specimen",
    "coll": "collection", "collect": "collection", "venipunct": "venipuncture",
    "chemo": "chemotherapy", "chemotx": "chemotherapy", "radiopharm": "radiopharmaceutical",
    "ophth": "ophthalmic", "oral": "oral", "iv": "intravenous", "im": "intramuscular",
    "sc": "subcutaneous", "subq": "subcutaneous", "nos": "not otherwise specified",
    "noc": "not otherwise classified", "unclass": "unclassified",
    "unclassified": "unclassified", "misc": "miscellaneous", "initl": "initial",
    "prev exam": "preventive examination",
    # drug names and salts as the short descriptors cut them (J2919 "Inj, methylpred sod
    # succ 5mg", J1720 "Hydrocortisone sodium succ i", A9509 "Iodine i-123 sod iodide",
    # J0736 "Inj, clindamycin phosp", J7601 "Ensifentrine inh 3 mg", G9695 "Long act inhal
    # bronchdil"; "acet" is left: acetate in J1010, acetonide in J3301)
    "methylpred": "methylprednisolone", "sod": "sodium", "succ": "succinate",
    "phosp": "phosphate", "inh": "inhalation", "inhal": "inhalation",
    "attach": "attachment",
    # J3301 "Triamcinolone acet inj nos" and J3303 "Triamcinolone hexacetonl inj": the
    # acetonide and the hexacetonide (their CMS long descriptors)
    "triamcinolone acet": "triamcinolone acetonide", "hexacetonl": "hexacetonide",
}

#: HCPCS Level II drug and supply texts (:class:`codekit._search.Terms`). Words a drug's
#: text may say without saying more than a query asked: its salt or ester (J1100
#: "Dexamethasone sodium phos" is the dexamethasone injection), the dose unit, and
#: "injection", the route of the Part B drug codes (the J codes are drugs "administered
#: other than oral method"; the oral and inhalation ones say so). Numbers and doses
#: ("5mg") are read so too.
FREE: frozenset[str] = frozenset({
    "sodium", "succinate", "acetate", "acet", "phosphate", "hcl", "hydrochloride",
    "sulfate", "citrate", "cypionate", "enanthate", "tromethamine", "mesylate", "tartrate",
    "maleate", "fumarate", "besylate", "decanoate", "palmitate", "pamoate", "diacetate",
    "hexacetonide", "acetonide", "lactate", "gluconate", "bromide",
    "mg", "mcg", "ml", "gram", "unit", "dose", "up", "injection"})
#: Words that name a drug's route, by route: a query that names one (``methylprednisolone
#: injection``) does not match a text of another route (J7509 "Methylprednisolone oral")
#: well; a drug code's text that names none is of the injection route.
ROUTES: dict[str, str] = {
    "injection": "injection", "infusion": "injection", "intravenous": "injection",
    "intramuscular": "injection", "subcutaneous": "injection", "injectable": "injection",
    "oral": "oral", "tablet": "oral", "capsule": "oral",
    "inhalation": "inhalation", "inhaled": "inhalation", "inhalant": "inhalation",
}
#: Words that say a text is of a part or an accessory of an item (E0156 "Walker seat
#: attachment", E0159 "Brake for wheeled walker"): below the item itself unless the query
#: names one.
PARTS: frozenset[str] = frozenset({"attachment", "accessory", "brake"})

#: Roman numerals -> numbers.
ROMAN: dict[str, str] = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}

# -- ICD-10-PCS ------------------------------------------------------------------------------
# PCS titles name the root operation and the body part ("Resection of Gallbladder,
# Percutaneous Endoscopic Approach"); people search with the surgical term
# ("laparoscopic cholecystectomy"). A term is read as its parts: the ending names the
# operation, the stem before it the body part. Written from the general meaning of the
# Greek and Latin word parts and the PCS root operation definitions (CMS ICD-10-PCS
# Reference Manual), not from any index.

#: A surgical term's ending -> the PCS root operations it may be (longest ending first).
#: A -centesis is a puncture with a needle: a drainage through the skin (Percutaneous).
PCS_ENDINGS: dict[str, tuple[str, ...]] = {
    "centesis": ("drainage percutaneous",), "rrhaphy": ("repair",),
    "ectomy": ("resection", "excision"),
    "ostomy": ("bypass",), "otomy": ("drainage", "division"), "plasty": (
        "replacement", "repair", "supplement"), "tripsy": ("fragmentation",),
    "scopy": ("inspection endoscopic",), "desis": ("fusion",), "lysis": ("release",),
    "pexy": ("reposition",),
}

#: A surgical term's stem -> the PCS body part it names (the longest stem that begins
#: the term's stem wins: "parathyroid" before "para").
PCS_STEMS: dict[str, tuple[str, ...]] = {
    "adenoid": ("adenoids",), "adren": ("adrenal gland",), "amni": ("amniotic fluid",),
    "append": ("appendix",), "appendic": ("appendix",), "arthr": ("joint",),
    "blephar": ("eyelid",), "bronch": ("tracheobronchial tree", "bronchus"),
    "cholecyst": ("gallbladder",), "choledoch": ("common bile duct",), "col": ("colon",),
    "colon": ("lower intestinal tract", "colon"), "colp": ("vagina",), "crani": ("skull",),
    "cyst": ("bladder",), "disc": ("vertebral disc",), "disk": ("vertebral disc",),
    "duoden": ("duodenum",), "esophag": ("esophagus",),
    # an EGD inspects the upper intestinal tract; an operation through it (a biopsy) is
    # coded to the site: the stomach, the esophagus or the duodenum (the PCS tables have no
    # excision of the upper intestinal tract)
    "esophagogastroduoden": ("upper intestinal tract", "stomach", "esophagus", "duodenum"),
    "gastr": ("stomach",),
    "hepat": ("liver",), "hernio": ("inguinal region", "abdominal wall"),
    "hemicol": ("large intestine",),  # a hemicolectomy: Resection of Right Large Intestine
    "hyster": ("uterus",), "ile": ("ileum",), "lamin": ("vertebra",),
    "lapar": ("peritoneal cavity",), "lob": ("lung lobe",), "lump": ("breast",),
    "mast": ("breast",),
    # a meniscus is of the knee joint (the PCS Body Part Key: "Meniscus ... use Knee Joint")
    "menisc": ("knee joint",), "myring": ("tympanic membrane",), "nephr": ("kidney",),
    "oophor": ("ovary",), "orchi": ("testis",), "pancreat": ("pancreas",),
    "para": ("peritoneal cavity",), "parathyroid": ("parathyroid gland",),
    # the pericardium, and the cavity it holds (a pericardiocentesis drains the cavity)
    "pericardi": ("pericardium", "pericardial cavity"),
    "pneumon": ("lung",), "prostat": ("prostate",), "salping": ("fallopian tube",),
    "sept": ("nasal septum",), "sigmoid": ("sigmoid colon",), "splen": ("spleen",),
    "thora": ("pleural cavity",), "thyroid": ("thyroid gland",), "tonsill": ("tonsils",),
    "trache": ("trachea",), "tympan": ("tympanic membrane",), "ureter": ("ureter",),
    "urethr": ("urethra",), "vagin": ("vagina",), "vas": ("vas deferens",),
}

#: An esophagogastroduodenoscopy (EGD, an upper endoscopy): the inspection of the upper
#: intestinal tract through the mouth, and of the sites an operation through the scope
#: is coded to (see :data:`PCS_STEMS`).
_EGD = tuple(f"inspection {part} via natural or artificial opening endoscopic"
             for part in PCS_STEMS["esophagogastroduoden"])

#: Whole words and phrases of PCS queries -> the wording of PCS titles.
PCS_TERMS: dict[str, tuple[str, ...]] = {
    "laparoscopic": ("percutaneous endoscopic",), "arthroscopic": ("percutaneous endoscopic",),
    "thoracoscopic": ("percutaneous endoscopic",), "lap": ("percutaneous endoscopic",),
    "cabg": ("bypass coronary artery",),
    # percutaneous (transluminal) coronary angioplasty and intervention say their approach
    "ptca": ("dilation coronary artery percutaneous",),
    "pci": ("dilation coronary artery percutaneous",),
    # an angioplasty is transluminal, by a catheter through the skin, unless said open
    "angioplasty": ("dilation percutaneous", "dilation"),
    "tka": ("replacement knee joint",), "tha": ("replacement hip joint",),
    "knee replacement": ("replacement knee joint",),
    "knee arthroplasty": ("replacement knee joint",),
    "hip arthroplasty": ("replacement hip joint",),
    "hip replacement": ("replacement hip joint",),
    "cesarean": ("extraction products of conception",),
    "caesarean": ("extraction products of conception",),
    "c section": ("extraction products of conception",),
    "csection": ("extraction products of conception",),
    "vaginal delivery": ("delivery products of conception",),
    # a (normal) spontaneous vaginal delivery, as charts abbreviate it (NSVD, SVD)
    **dict.fromkeys(("nsvd", "svd", "spontaneous vaginal delivery",
                     "normal spontaneous vaginal delivery"),
                    ("delivery products of conception",)),
    # a cataract is of the lens (body part Lens, Right/Left); its extraction pulls the lens
    # out (FY2026 definitions: Extraction, "Pulling or stripping out ... all or a portion
    # of a body part by the use of force": 08DJ3ZZ), and one with an intraocular lens put
    # in its place is a Replacement ("synthetic material that physically takes the place
    # ... of a body part", which "may have been taken out ... during the Replacement
    # procedure"): 08RK3JZ "Replacement of Left Lens with Synthetic Substitute"; a cataract
    # operation of today puts a lens in, so that reading comes first
    "cataract": ("lens",),
    **dict.fromkeys(("cataract extraction", "phacoemulsification", "phaco"),
                    ("extraction lens",)),
    **dict.fromkeys(("cataract surgery", "cataract operation"),
                    ("replacement lens synthetic substitute", "extraction lens")),
    **dict.fromkeys(("iol", "intraocular lens", "lens implant"),
                    ("replacement lens synthetic substitute",)),
    # a circumcision cuts the prepuce (skin and mucous membrane) directly: External
    # (0VTTXZZ, the approach definition's "performed directly on the skin or mucous
    # membrane"; the PCS Index and the GEM of ICD-9-CM 64.0 give 0VTTXZZ)
    "circumcision": ("resection prepuce external", "resection prepuce"),
    "endarterectomy": ("extirpation matter artery",),
    "egd": _EGD, "upper endoscopy": _EGD, "upper gi endoscopy": _EGD,
    "turp": ("excision prostate via natural or artificial opening endoscopic",),
    "lumbar puncture": ("drainage spinal canal percutaneous",),
    "spinal tap": ("drainage spinal canal percutaneous",),
    "hernia": ("inguinal region", "abdominal wall"), "biopsy": ("excision diagnostic",),
    # a needle goes through the skin; a catheter-borne valve too
    "needle": ("percutaneous",), "transcatheter": ("percutaneous",),
    # the device a common name stands for (the PCS Device Key: a stent is an Intraluminal
    # Device); a stent put in a vessel or a duct opens it: the Dilation with an
    # intraluminal device (Dilation: "expanding ... the lumen of a tubular body part"),
    # through the skin unless a scope the query names says otherwise
    "stent": ("dilation intraluminal device percutaneous", "dilation intraluminal device",
              "intraluminal device"),
    "tavr": ("replacement aortic valve zooplastic tissue percutaneous",),
    "tavi": ("replacement aortic valve zooplastic tissue percutaneous",),
    "transcatheter aortic valve replacement": (
        "replacement aortic valve zooplastic tissue percutaneous",),
    "transcatheter aortic valve implantation": (
        "replacement aortic valve zooplastic tissue percutaneous",),
    # imaging: the type of the Imaging section (character 3), as its titles name it
    "ct": ("computerized tomography",), "ct scan": ("computerized tomography",),
    "cat scan": ("computerized tomography",), "mri": ("magnetic resonance imaging",),
    "x ray": ("plain radiography",), "xray": ("plain radiography",),
    "radiograph": ("plain radiography",), "plain film": ("plain radiography",),
    "cxr": ("plain radiography chest",), "chest film": ("plain radiography chest",),
    "kub": ("plain radiography kidneys ureters bladder",),
    "ultrasound": ("ultrasonography",), "sonogram": ("ultrasonography",),
    "sonography": ("ultrasonography",), "fluoro": ("fluoroscopy",),
    "echocardiogram": ("ultrasonography right left heart",),
    "echocardiography": ("ultrasonography right left heart",),
    "tte": ("ultrasonography right left heart",),
    "tee": ("ultrasonography right left heart transesophageal",),
    # the adjective of a body part, read as written (titles say *Abdominal Wall*, *Renal
    # Artery*) and as the body part value that names it (*Ultrasonography of Abdomen*,
    # *Ultrasonography of Right Kidney*)
    "abdominal": ("abdominal", "abdomen"), "renal": ("renal", "kidney"),
    "ureteral": ("ureter",), "esophageal": ("esophageal", "esophagus"),
    "biliary": ("biliary", "bile duct"),
}
