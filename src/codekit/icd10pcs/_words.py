"""The readings of an ICD-10-PCS search query: as written, and in the words of PCS titles.

PCS titles name the root operation and the body part; people search with surgical terms.
:func:`readings` rewrites a (lower-case, punctuation-free) query with the tables of
:mod:`codekit._synonyms` (and :data:`TERMS`): whole words and phrases (``cabg``, ``knee
replacement``), and surgical terms read as an ending (the operation) after a stem (the
body part), also when misspelt by a letter (``apendectomy``, ``hysterectmy``). An
endoscopy named with another operation (``biopsy by colonoscopy``) is read without
its inspection: an inspection is not coded apart from another procedure done through
the same approach (ICD-10-PCS guideline B3.11a). What a query says of an axis is read as
the axis' value says it (:func:`plain`: no contrast is a title naming none; ``3 vessels``
is *Three Arteries*).

>>> readings("laparoscopic cholecystectomy")
['laparoscopic cholecystectomy', 'percutaneous endoscopic resection gallbladder', \
'percutaneous endoscopic excision gallbladder']
>>> readings("colonoscopy"), readings("resection appendix")
(['colonoscopy', 'inspection via natural or artificial opening endoscopic lower intestinal \
tract', 'inspection via natural or artificial opening endoscopic colon'], \
['resection appendix'])
>>> readings("biopsy by colonoscopy")[1]
'excision diagnostic by via natural or artificial opening endoscopic lower intestinal tract'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container

from .._search import american
from .._search import stem as singular
from .._synonyms import PCS_ENDINGS, PCS_STEMS, PCS_TERMS

__all__ = ["NATURAL", "OPERATED", "OPERATIONS", "TERMS", "plain", "readings", "spelled",
           "term"]

#: Words and phrases of PCS queries read in the words of PCS titles, besides
#: :data:`codekit._synonyms.PCS_TERMS`: what the PCS Reference Manual codes the common
#: term as (a fracture reduction is a Reposition, an amputation a Detachment; dialysis
#: the Performance of Urinary Filtration; ECMO the Extracorporeal Oxygenation; a central
#: line an Infusion Device put in percutaneously, in the superior vena cava unless said
#: otherwise; a chest tube a Drainage of the Pleural Cavity with a Drainage Device; a
#: heart catheterization the Measurement of Cardiac Sampling and Pressure, percutaneous;
#: a G tube or Foley change a Change of the device).
TERMS: dict[str, tuple[str, ...]] = {
    "reduction": ("reposition",), "amputation": ("detachment",),
    "dialysis": ("performance urinary filtration",),
    "hemodialysis": ("performance urinary filtration",),
    "ecmo": ("extracorporeal oxygenation membrane",),
    # a central line, as a PICC, is coded to where its tip ends (the superior vena cava
    # when the query names no vein; the reading without it is searched too, so that a
    # vein named wins), not to the vein it went in by ("central line ij")
    **dict.fromkeys(("central line", "central venous line", "central venous catheter",
                     "cvc"), ("insertion infusion device superior vena cava percutaneous",
                              "infusion device percutaneous")),
    "chest tube": ("drainage pleural cavity drainage device",),
    # a heart catheterization goes in through the skin, by a needle and a sheath in an
    # artery or a vein: Percutaneous (the definition: "entry, by puncture or minor
    # incision, of instrumentation through the skin"), not Open
    **dict.fromkeys(("heart catheterization", "cardiac catheterization", "heart cath",
                     "cardiac cath"),
                    ("measurement cardiac sampling pressure heart percutaneous",)),
    # a PICC is an infusion device put in through an arm vein, its tip in the superior
    # vena cava; an intubation puts an endotracheal airway in through the mouth or nose
    "picc": ("insertion infusion device superior vena cava percutaneous",),
    "picc line": ("insertion infusion device superior vena cava percutaneous",),
    "intubation": ("insertion endotracheal airway trachea via natural or artificial "
                   "opening",),
    "endotracheal intubation": ("insertion endotracheal airway trachea via natural or "
                                "artificial opening",),
    # packed red cells are a donor's (Nonautologous); a transfusion that names no site
    # goes into a peripheral vein through the skin (the reading without it is searched
    # too, so that a site the query names wins)
    "packed red cell": ("nonautologous red blood cells",),
    "packed red blood cell": ("nonautologous red blood cells",),
    "packed cell": ("nonautologous red blood cells",),
    "packed rbc": ("nonautologous red blood cells",),
    "prbc": ("nonautologous red blood cells",),
    # a transfusion is of a donor's blood (Nonautologous, the qualifier of table 302) unless
    # the query says the patient's own (autologous: the readings without it)
    "transfusion": ("transfusion nonautologous peripheral vein percutaneous",
                    "transfusion peripheral vein percutaneous", "transfusion"),
    # the PCS Device Key (FY2026 definitions): a Foley catheter is a Drainage Device (in
    # the bladder, through the urethra); a PEG tube a Feeding Device (in the stomach,
    # percutaneous endoscopic); a tracheostomy tube a Tracheostomy Device. A gastrostomy
    # tube is a feeding device in the stomach; a nasogastric (or orogastric) tube goes in
    # through the nose (mouth) and feeds, or drains the stomach (decompression): both read
    "foley": ("drainage bladder drainage device via natural or artificial opening",),
    "foley catheter": ("drainage bladder drainage device via natural or artificial "
                       "opening",),
    **dict.fromkeys(("peg", "peg tube", "percutaneous endoscopic gastrostomy"),
                    ("insertion feeding device stomach percutaneous endoscopic",)),
    "g tube": ("insertion feeding device stomach",),
    "gastrostomy tube": ("insertion feeding device stomach",),
    **dict.fromkeys(("ng tube", "ngt", "nasogastric tube", "og tube", "orogastric tube"), (
        "insertion feeding device stomach via natural or artificial opening",
        "drainage stomach drainage device via natural or artificial opening")),
    # a tracheostomy (Bypass Trachea to Cutaneous) puts a tracheostomy tube in: the titles
    # with the device first, then those without
    "tracheostomy": ("bypass trachea cutaneous tracheostomy device",
                     "bypass trachea cutaneous"),
    "tracheostomy tube": ("tracheostomy device",),
    # Change (FY2026 definitions: "includes ... urinary catheter change, gastrostomy tube
    # change"; external approach) of a gastrostomy tube is in the upper intestinal tract,
    # the only body part of the Change table (0D2) a stomach tube is in; of a Foley, in
    # the bladder
    **dict.fromkeys(("g tube change", "gastrostomy tube change", "peg tube change",
                     "peg change", "feeding tube change", "g tube exchange",
                     "gastrostomy tube exchange", "peg tube exchange", "g tube replacement",
                     "gastrostomy tube replacement", "peg tube replacement"),
                    ("change feeding device upper intestinal tract",)),
    **dict.fromkeys(("foley change", "foley catheter change", "urinary catheter change",
                     "foley exchange", "foley catheter exchange", "foley replacement"),
                    ("change drainage device bladder",)),
    "exchange": ("change",),
    # a tube that lets out a stomach's fluid and gas (Drainage: "taking or letting out
    # fluids and/or gases from a body part"): a nasogastric decompression is the Drainage
    # of the stomach with a drainage device through the nose (the 6A15 Decompression is
    # the extracorporeal elimination of gas from body fluids, a diver's; a spine's or a
    # nerve's decompression is none of these: no reading)
    **dict.fromkeys(("ng tube decompression", "ngt decompression", "ng decompression",
                     "nasogastric decompression", "nasogastric tube decompression",
                     "og tube decompression", "orogastric decompression",
                     "orogastric tube decompression", "gastric decompression"),
                    ("drainage stomach drainage device via natural or artificial opening",)),
    # an exploratory laparotomy opens the abdomen to look: the Inspection of the Peritoneal
    # Cavity, Open
    **dict.fromkeys(("exploratory laparotomy", "ex lap", "exploratory lap"),
                    ("inspection peritoneal cavity open",)),
    # clinicians' short names of the two commonest abdominal operations
    "chole": ("resection gallbladder", "excision gallbladder"),
    "appy": ("resection appendix", "excision appendix"),
    # root operation definitions (FY2026): Restoration returns a physiological function to
    # its original state by extracorporeal means (an external cardioversion or
    # defibrillation restores the cardiac rhythm: 5A2204Z); Drainage includes "incision
    # and drainage" (usually of an abscess of the subcutaneous tissue and fascia, the site
    # read when the query names none: the reading without it is searched too); Extirpation
    # includes "thrombectomy"; a debridement is an Excision when it cuts the tissue out
    # (excisional, the one read when the query does not say) and an Extraction when it
    # pulls or strips it out (non-excisional), the subcutaneous tissue and fascia read
    # when no site is named
    "cardioversion": ("restoration cardiac rhythm",),
    "defibrillation": ("restoration cardiac rhythm",),
    **dict.fromkeys(("incision and drainage", "i d"),  # ("i&d" once punctuation is dropped)
                    ("drainage subcutaneous tissue fascia", "drainage")),
    "thrombectomy": ("extirpation matter",),
    **dict.fromkeys(("debridement", "excisional debridement"),
                    ("excision subcutaneous tissue fascia", "excision")),
    **dict.fromkeys(("nonexcisional debridement", "non excisional debridement"),
                    ("extraction subcutaneous tissue fascia", "extraction")),
    # a bone marrow biopsy is taken with a needle through the skin; the FY2026 tables have
    # no Excision of bone marrow: Extraction, Diagnostic (the definition: "extraction
    # procedures that are biopsies"; 07DQ-07DT, sternum, iliac, vertebral or unspecified
    # bone marrow), or Drainage (079T, taking fluid out)
    "bone marrow biopsy": ("extraction bone marrow percutaneous diagnostic",),
    # root operation definitions (FY2026): Excision cuts out "a portion of a body part"
    # (a lumpectomy, a partial mastectomy; Resection is all of it, a mastectomy);
    # Division includes cutting a body part to separate it (an episiotomy divides the
    # female perineum: 0W8NXZZ); Detachment "includes below knee amputation", its body
    # part the level (lower leg; above the knee, upper leg); Occlusion closes a tubular
    # body part (a tubal ligation: the fallopian tubes). The Device Key: a vena cava
    # filter is an Intraluminal Device (in the inferior vena cava). Section 5: mechanical
    # ventilation is the Performance of Respiratory Ventilation for a number of
    # consecutive hours (5A1935Z-5A1955Z; not 5A19054, Single, Nonmechanical).
    **dict.fromkeys(("lumpectomy", "partial mastectomy", "breast lumpectomy"),
                    ("excision breast",)),
    "episiotomy": ("division perineum female",),
    # a hemiarthroplasty replaces one surface of the joint: the hip's femoral surface
    # (0SRR-, 0SRS-), the shoulder's humeral surface (0RRJ-, 0RRK-)
    "hip hemiarthroplasty": ("replacement hip joint femoral surface",),
    "shoulder hemiarthroplasty": ("replacement shoulder joint humeral surface",),
    **dict.fromkeys(("below knee amputation", "amputation below knee", "bka"),
                    ("detachment lower leg",)),
    **dict.fromkeys(("above knee amputation", "amputation above knee"),
                    ("detachment upper leg",)),
    **dict.fromkeys(("tubal ligation", "bilateral tubal ligation"),
                    ("occlusion bilateral fallopian tubes",)),
    **dict.fromkeys(("ivc filter", "vena cava filter", "inferior vena cava filter"),
                    ("insertion intraluminal device inferior vena cava percutaneous",)),
    **dict.fromkeys(("mechanical ventilation", "ventilator"),
                    ("respiratory ventilation consecutive hours",)),
    # root operation definitions (FY2026): Transplantation puts in "all or a portion of a
    # living body part taken from another individual or animal"; its qualifier is
    # Allogeneic (another person), Syngeneic (an identical twin) or Zooplastic (an animal):
    # a transplant is allogeneic unless the query says otherwise (the reading as written
    # keeps the imaging body part *Kidney Transplant* for "ultrasound kidney transplant").
    # A bone marrow or stem cell transplant puts no body part in: it is the Transfusion
    # (section 3, table 302) of the bone marrow, or of the hematopoietic (cord blood) stem
    # cells, into a vein (not the platelets put into the bone marrow, 302A-); its
    # qualifier says whose (autologous, allogeneic).
    **dict.fromkeys(("transplant", "transplantation"),
                    ("transplantation allogeneic", "transplant")),
    **dict.fromkeys(("bone marrow transplant", "bone marrow transplantation", "bmt"),
                    ("transfusion bone marrow vein",)),
    **dict.fromkeys(("stem cell transplant", "stem cell transplantation",
                     "stem cell infusion", "hematopoietic stem cell transplant",
                     "hematopoietic stem cell transplantation", "hsct"),
                    ("transfusion hematopoietic stem cells vein",)),
    **dict.fromkeys(("cord blood transplant", "cord blood transplantation"),
                    ("transfusion cord blood stem cells vein",)),
    # guideline B3.10a: a spinal fusion is coded to the vertebral joint(s) fused (0RG-,
    # 0SG-); a fusion the query names no other joint of is one of vertebral joints (the
    # reading as written keeps "ankle fusion" an ankle joint's)
    "spinal fusion": ("fusion vertebral joint",),
    "fusion": ("fusion vertebral joint", "fusion"),
    # Excision cuts out "a portion of a body part": a polyp (a polypectomy), never the
    # Resection of the whole colon
    "polypectomy": ("excision",),
    # a pacemaker's or a defibrillator's generator goes into a pocket in the chest
    # subcutaneous tissue (0JH6-), its leads through a vein into the heart: Percutaneous
    # (02H63JZ, 02HK3JZ; a lead on the heart's surface, into the pericardium, is the
    # open or endoscopic one the query names). An AICD is the defibrillator.
    "pacemaker": ("pacemaker chest subcutaneous tissue fascia", "pacemaker"),
    "defibrillator": ("defibrillator generator chest subcutaneous tissue fascia",
                      "defibrillator"),
    "aicd": ("defibrillator generator chest subcutaneous tissue fascia",),
    "pacemaker lead": ("pacemaker lead percutaneous", "pacemaker lead"),
    "defibrillator lead": ("defibrillator lead percutaneous", "defibrillator lead"),
    # Extirpation takes out solid matter: an embolus (as a thrombus, from an artery) or a
    # stone
    "embolectomy": ("extirpation matter artery", "extirpation matter"),
    **dict.fromkeys(("stone extraction", "stone removal"), ("extirpation matter",)),
    # an ERCP (endoscopic retrograde cholangiopancreatography) reaches the bile and
    # pancreatic ducts through the mouth: its inspection is of the hepatobiliary or the
    # pancreatic duct; an operation through it (a stone taken out, a stent) is coded to
    # the duct, the common bile duct the one read first
    "ercp": tuple(f"inspection via natural or artificial opening endoscopic {part}"
                  for part in ("common bile duct", "hepatobiliary duct", "pancreatic duct")),
    # Supplement (FY2026 definitions: "herniorrhaphy using mesh") puts in material that
    # reinforces a body part: a repair with mesh (a synthetic substitute) is a Supplement
    # (0YU50JZ, 0WUF0JZ), not a Repair; a mesh named with no repair is the device only
    # (``mesh removal``: the Removal of a Synthetic Substitute)
    **dict.fromkeys(("repair with mesh", "mesh repair", "with mesh"),
                    ("supplement synthetic substitute",)),
    "mesh": ("synthetic substitute",),
    # an open reduction and internal fixation of a fracture: the Reposition, open, with an
    # internal fixation device
    "orif": ("reposition internal fixation device open",),
    # a shunt is a Bypass: a ventriculoperitoneal shunt of the cerebral ventricle to the
    # peritoneal cavity with a synthetic substitute (00160J6); an arteriovenous fistula
    # (for dialysis) of an arm's artery to an arm vein (031C0ZF: Left Radial Artery to
    # Lower Arm Vein); a gastric bypass of the stomach to the jejunum (0D16-A)
    **dict.fromkeys(("vp shunt", "ventriculoperitoneal shunt"),
                    ("bypass cerebral ventricle peritoneal cavity synthetic substitute",)),
    # (the radial artery's first, the brachial's next: a dialysis access is made as far
    # down the arm as it can be, KDOQI 2019)
    **dict.fromkeys(("arteriovenous fistula", "av fistula", "avf"),
                    ("bypass radial artery lower arm vein",
                     "bypass brachial artery upper arm vein", "bypass artery arm vein")),
    "gastric bypass": ("bypass stomach jejunum",),
    # transurethral: through the urethra with a scope; a transurethral resection of the
    # prostate takes out a portion of it, as a TURP (PCS guideline A11: the procedure's
    # name does not make its root operation)
    "transurethral": ("via natural or artificial opening endoscopic",),
    **dict.fromkeys(("transurethral resection of prostate",
                     "transurethral resection of the prostate",
                     "transurethral resection prostate"), PCS_TERMS["turp"]),
    # the items a review of CCS queries left open (2026-12-07), settled by FY2026 definitions:
    # Evacuation is a Drainage (fluid), of a hematoma or a clot an Extirpation (solid
    # matter: the PCS Index's "Evacuation / Hematoma see Extirpation / Other Fluid see
    # Drainage"; see :data:`SOLID`). A sphincterotomy through an ERCP (a papillotomy) cuts
    # the sphincter of the ampulla to widen its orifice: Dilation ("expanding an orifice
    # ... by cutting part of the orifice or wall"), of the Ampulla of Vater (the Body Part
    # Key's hepatopancreatic ampulla); an anal sphincterotomy divides the anal sphincter.
    # Packed red cells are the blood product most transfused (whole blood has few
    # indications): a "blood transfusion" is of red blood cells first, then whole blood.
    # A ureteral (double-J) stent is an Intraluminal Device (the Device Key's "Stent,
    # intraluminal (... urinary)"): the Dilation of a ureter, not a Drainage with a
    # drainage device (the Device Key's drainage devices: Foley, cystostomy tube,
    # nephrostomy catheter); a stent put in through a cystoscope is one.
    "evacuation": ("drainage",),
    **dict.fromkeys(("sphincterotomy", "papillotomy", "biliary sphincterotomy",
                     "endoscopic sphincterotomy"), ("dilation ampulla of vater",)),
    **dict.fromkeys(("anal sphincterotomy", "lateral internal sphincterotomy"),
                    ("division anal sphincter",)),
    # (a donor's unless the query says the patient's own, as a transfusion is: the readings
    # without "nonautologous")
    **dict.fromkeys(("blood transfusion", "transfusion of blood"), (
        "transfusion nonautologous red blood cells peripheral vein percutaneous",
        "transfusion red blood cells peripheral vein percutaneous",
        "transfusion nonautologous whole blood peripheral vein percutaneous",
        "transfusion whole blood peripheral vein percutaneous")),
    **dict.fromkeys(("double j stent", "jj stent", "ureteral stent", "ureteric stent"),
                    ("dilation ureter intraluminal device",)),
    **dict.fromkeys(("cystoscopy with stent", "cystoscopy with stent placement",
                     "cystoscopy and stent", "cysto with stent", "cystoscopy stent"),
                    ("dilation ureter intraluminal device via natural or artificial opening "
                     "endoscopic",)),
    # a CCS's daily queries of 2026-12-07 (each code checked in the FY2026 titles; the root
    # operation in the FY2026 definitions, the device in its Device Key): "right and left"
    # is the Bilateral body part value (a heart catheterization's 4A023N8) as well as the
    # two sides a title may name (*Right and Left Heart*); an angiography is the
    # fluoroscopy of the vessels (a catheter laboratory's moving images; of the coronary
    # arteries, all of them: Multiple); an atherectomy the extirpation of matter (plaque)
    # from an artery, through a catheter; an Impella a Short-term External Heart Assist System
    # (Device Key), put in through the skin; an IABP the Assistance with Cardiac Output
    # using a Balloon Pump; fractional flow reserve the Measurement of Arterial Pressure,
    # Coronary (a pressure wire)
    **dict.fromkeys(("right and left", "left and right"), ("bilateral", "right left")),
    **dict.fromkeys(("right and left heart catheterization", "right and left heart cath",
                     "bilateral heart catheterization", "bilateral heart cath"),
                    ("measurement cardiac sampling pressure bilateral percutaneous",)),
    **dict.fromkeys(("angiography", "angiogram", "arteriography", "arteriogram"),
                    ("fluoroscopy",)),
    **dict.fromkeys(("coronary angiography", "coronary angiogram", "coronary arteriography",
                     "coronary arteriogram"), ("fluoroscopy multiple coronary arteries",)),
    "atherectomy": ("extirpation matter artery percutaneous", "extirpation matter artery"),
    "impella": ("insertion short term external heart assist system heart percutaneous",),
    **dict.fromkeys(("iabp", "balloon pump", "intra aortic balloon pump",
                     "intraaortic balloon pump"),
                    ("assistance cardiac output balloon pump continuous",)),
    **dict.fromkeys(("fractional flow reserve", "ffr"),
                    ("measurement arterial pressure coronary percutaneous",)),
    # a closed reduction moves the bone back by force through the skin: Reposition,
    # External (the approach's definition: "by the application of external force through
    # the skin"); an amputation through the forearm (upper arm) is the Detachment at the
    # lower (upper) arm; a shoulder arthroplasty the replacement of the shoulder joint;
    # Release "includes ... carpal tunnel release": of the median nerve
    "closed reduction": ("reposition external",),
    **dict.fromkeys(("below elbow amputation", "amputation below elbow"),
                    ("detachment lower arm",)),
    **dict.fromkeys(("above elbow amputation", "amputation above elbow"),
                    ("detachment upper arm",)),
    **dict.fromkeys(("shoulder arthroplasty", "shoulder replacement"),
                    ("replacement shoulder joint",)),
    "carpal tunnel release": ("release median nerve",),
    # obstetrics (table 10D's qualifiers; Extraction includes the D&C (its "includes"),
    # Restriction "cervical cerclage"): a classical cesarean is the High one; a D&C the
    # extraction of the endometrium through the vagina (of retained products of conception,
    # table 10D's Retained qualifier: the reading as written finds it); a vacuum delivery
    # the Extraction of Products of Conception, Vacuum; an amniotomy (artificial rupture of
    # the membranes) the Drainage of Amniotic Fluid, Therapeutic, through the vagina
    **dict.fromkeys(("classical cesarean", "classical cesarean section",
                     "classical c section"), ("extraction products of conception high",)),
    **dict.fromkeys(("d c", "d and c", "dilatation and curettage"),
                    ("extraction endometrium via natural or artificial opening",
                     "extraction via natural or artificial opening")),
    **dict.fromkeys(("vacuum delivery", "vacuum assisted delivery", "vacuum extraction",
                     "vacuum assisted vaginal delivery"),
                    ("extraction products of conception vacuum via natural or artificial "
                     "opening",)),
    **dict.fromkeys(("amniotomy", "arom", "artificial rupture of membranes"),
                    ("drainage amniotic fluid therapeutic products of conception via natural "
                     "or artificial opening",)),
    "cerclage": ("restriction cervix via natural or artificial opening",),
    # spine: a discectomy takes out the herniated portion of a disc, an Excision (all of it,
    # a Resection, when the query says so: the second reading); an ACDF is the Fusion of
    # cervical vertebral joints with an Interbody Fusion Device, anterior (guideline
    # B3.10c); a kyphoplasty or vertebroplasty puts bone cement in: the Supplement of the
    # vertebra with a Synthetic Substitute, through the skin; an external ventricular drain
    # (EVD, ventriculostomy) the Drainage of the Cerebral Ventricle with a Drainage Device
    **dict.fromkeys(("discectomy", "diskectomy", "microdiscectomy"),
                    ("excision vertebral disc", "resection vertebral disc")),
    **dict.fromkeys(("acdf", "anterior cervical discectomy and fusion"),
                    ("fusion cervical vertebral joint interbody fusion device anterior "
                     "approach anterior column open",)),
    **dict.fromkeys(("kyphoplasty", "vertebroplasty"),
                    ("supplement vertebra synthetic substitute percutaneous",)),
    **dict.fromkeys(("external ventricular drain", "evd"),
                    ("drainage cerebral ventricle drainage device",)),
    # vascular: an IVC filter taken out is the Removal of an Intraluminal Device from the
    # Lower Vein (table 06P names no vena cava); an endovascular aneurysm repair (EVAR) the
    # Restriction of the abdominal aorta with an Intraluminal Device (a stent graft),
    # through the skin; a port the Device Key's Totally Implantable Vascular Access Device
    # ("Implanted (venous)(access) port"), in the chest subcutaneous tissue and fascia
    **dict.fromkeys(("ivc filter removal", "vena cava filter removal"),
                    ("removal intraluminal device lower vein percutaneous",)),
    **dict.fromkeys(("evar", "endovascular aaa repair", "endovascular aneurysm repair",
                     "endovascular abdominal aortic aneurysm repair"),
                    ("restriction abdominal aorta intraluminal device percutaneous",)),
    **dict.fromkeys(("port placement", "port insertion", "port a cath", "portacath",
                     "mediport", "chest port"),
                    ("insertion totally implantable vascular access device chest "
                     "subcutaneous tissue fascia",)),
    # respiratory: a bronchoalveolar lavage takes fluid from the lung to study it, the
    # Drainage of the lung, Diagnostic; a chest tube is pulled out through the skin, the
    # Removal of the Drainage Device from the pleural cavity, External; VATS is
    # thoracoscopic (percutaneous endoscopic), of the lung unless said; a wedge resection
    # takes a portion: an Excision
    **dict.fromkeys(("bal", "bronchoalveolar lavage"), ("drainage lung diagnostic",)),
    "chest tube removal": ("removal drainage device pleural cavity external",),
    "vats": ("percutaneous endoscopic lung", "percutaneous endoscopic"),
    "wedge resection": ("excision",),
    # imaging, radiation and section 3, 5 and 6 terms: a mammogram is the plain radiography
    # of the breasts; a steroid injected is an Anti-inflammatory introduced (an epidural
    # steroid injection: 3E0S33Z); tPA an Other Thrombolytic into a peripheral vein; CRRT
    # (CVVH, CVVHD, CVVHDF) the Performance of Urinary Filtration, Continuous, more than
    # 18 hours a day; a plasmapheresis (plasma exchange) the Pheresis of Plasma
    **dict.fromkeys(("mammogram", "mammography"), ("plain radiography breast",)),
    "steroid": ("anti inflammatory",), "injection": ("introduction",),
    **dict.fromkeys(("tpa", "alteplase"), ("introduction thrombolytic peripheral vein "
                                           "percutaneous",)),
    **dict.fromkeys(("crrt", "continuous renal replacement therapy", "cvvh", "cvvhd",
                     "cvvhdf"), ("performance urinary filtration continuous greater than 18 "
                                 "hours per day",)),
    **dict.fromkeys(("plasmapheresis", "plasma exchange"), ("pheresis plasma",)),
    # a CCS's inpatient queries of 2026-12-07, each code checked in the FY2026 titles, the root
    # operation in the FY2026 definitions. Section 3 (Administration): a substance given is
    # an Introduction, into a peripheral vein through the skin unless the query names
    # another site (an antibiotic is an Other Anti-infective, 3E03329; chemotherapy an
    # Other Antineoplastic, 3E03305); total parenteral nutrition is a Nutritional
    # Substance into a central vein (3E0436Z: its high osmolarity takes a central line); a
    # nerve block an Anesthetic Agent into the peripheral nerves (3E0T3BZ); FFP is a plasma
    # of a donor's (the tables name a Fresh, L, and a Frozen, K, plasma: both read)
    **dict.fromkeys(("antibiotic", "iv antibiotic"),
                    ("introduction anti infective peripheral vein percutaneous",
                     "introduction anti infective")),
    **dict.fromkeys(("chemotherapy", "chemo"),
                    ("introduction antineoplastic peripheral vein percutaneous",
                     "introduction antineoplastic")),
    **dict.fromkeys(("tpn", "total parenteral nutrition", "parenteral nutrition",
                     "hyperalimentation"),
                    ("introduction nutritional substance central vein percutaneous",)),
    **dict.fromkeys(("nerve block", "peripheral nerve block"),
                    ("introduction anesthetic agent peripheral nerves percutaneous",)),
    **dict.fromkeys(("ffp", "fresh frozen plasma"), ("fresh frozen plasma",)),
    # a suprapubic catheter (cystostomy tube) drains the bladder through the skin: the
    # Drainage of the Bladder with a Drainage Device, Percutaneous (0T9B30Z)
    **dict.fromkeys(("suprapubic catheter", "suprapubic tube", "spc"),
                    ("drainage bladder drainage device percutaneous",)),
    # a vaginal hysterectomy takes the uterus out through the vagina: Via Natural or
    # Artificial Opening (0UT97ZZ); a sleeve gastrectomy cuts out a portion of the stomach
    # along its length: the Excision of the Stomach, qualifier Vertical (0DB6-Z3, the only
    # surgical table with that qualifier); Destruction (the definition: eradication "by
    # the direct use of energy") is an ablation, a cardiac (catheter) ablation of an
    # arrhythmia's conduction mechanism, through the skin (02583ZZ); Fragmentation "includes
    # extracorporeal shockwave lithotripsy": of a kidney stone, External
    **dict.fromkeys(("vaginal hysterectomy", "total vaginal hysterectomy"),
                    ("resection uterus via natural or artificial opening",)),
    "sleeve gastrectomy": ("excision stomach vertical",),
    "ablation": ("destruction",),
    **dict.fromkeys(("cardiac ablation", "catheter ablation", "afib ablation",
                     "atrial fibrillation ablation", "svt ablation"),
                    ("destruction conduction mechanism percutaneous",)),
    **dict.fromkeys(("eswl", "shock wave lithotripsy", "shockwave lithotripsy"),
                    ("fragmentation kidney pelvis external",)),
    # a band put on a varix closes it: the Occlusion (of a tubular body part) with an
    # Extraluminal Device; esophageal varices are the esophageal veins (06L3-CZ)
    **dict.fromkeys(("banding", "band ligation", "variceal banding"),
                    ("occlusion extraluminal device",)),
    **dict.fromkeys(("esophageal varices", "esophageal varix"), ("esophageal vein",)),
}
#: The device a term's operation puts in, in each body part it lies in: what a
#: Revision, a Removal or a Change of it is done on (the Revision definition: "correcting
#: ... a portion of a malfunctioning device"). A ventriculoperitoneal shunt is a Bypass
#: with a Synthetic Substitute; revised, it is the Revision of that substitute at the end
#: revised, the cerebral ventricle's (00W6-JZ) or the peritoneal cavity's (0WWG-JZ)
#: (AHA, on Coding Clinic 2Q 2015 pp. 9-10).
_DEVICE_OF: dict[tuple[str, ...], tuple[str, ...]] = {
    TERMS["vp shunt"]: ("synthetic substitute cerebral ventricle",
                        "synthetic substitute peritoneal cavity"),
    # a Foley is put in by a Drainage of the bladder: taken out, its drainage device
    TERMS["foley"]: ("drainage device bladder",),
    # a central line's or a PICC's infusion device lies in the superior vena cava; the
    # Removal and Revision tables (02P, 02W) name that vessel the Great Vessel
    TERMS["central line"]: ("infusion device great vessel",),
    TERMS["picc"]: ("infusion device great vessel",),
}
#: Devices that lie through the skin or a mucous membrane and are pulled out (a tube, a
#: catheter, a line): taken out with no approach said, by "external force through the
#: skin or mucous membrane", the External approach (FY2026 definitions), not the approach
#: that put them in (``g tube removal``: 0DP6XUZ; ``chest tube removal``: 0WP[9B]X0Z).
_PULLED = ("feeding device", "drainage device", "tracheostomy device", "endotracheal airway",
           "infusion device")
_APPROACH = re.compile(r"\b(?:via natural or artificial opening(?: endoscopic)?|"
                       r"percutaneous(?: endoscopic)?|open|external)\b")
#: Words read as :data:`TERMS` reads them only beside a word of an operation: an abscess
#: (which no title names) drained is one of the subcutaneous tissue when the query names
#: no other site ("drainage of abscess"), else nothing more than the site ("liver abscess
#: drainage": Drainage of Liver); "abscess" alone is no procedure.
OPERATED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("abscess", "abscesses"), ("subcutaneous tissue fascia", "")),
    # a hematoma (which no title names) evacuated is one of the site the query names
    **dict.fromkeys(("hematoma", "hematomas"), ("",)),
}
#: Words of solid matter: an evacuation of one is an Extirpation ("taking or cutting out
#: solid matter"; the PCS Index: "Evacuation / Hematoma see Extirpation"), not a Drainage.
SOLID = frozenset(("hematoma", "hematomas", "clot", "clots", "thrombus"))
_EVACUATION = TERMS["evacuation"]
#: Stems of a term's incision made to reach the site of another operation (a
#: craniotomy, a laparotomy, a thoracotomy, an arthrotomy): named with that operation, it
#: is its Open approach, no operation of its own (guideline B3.1b: procedural steps
#: necessary to reach the operative site are not coded separately).
ACCESS = frozenset(("crani", "lapar", "thora", "arthr"))
#: The body part the Inspection tables have for a part a scope is named for that they do
#: not (a sigmoidoscopy inspects the Lower Intestinal Tract; an operation through it, a
#: biopsy, is still coded to the sigmoid colon).
_INSPECTED = {"sigmoid colon": "lower intestinal tract",
              # the Inspection table 0DJ has no esophagus: an esophagoscopy inspects the
              # upper intestinal tract (0DJ08ZZ), as an EGD does
              "esophagus": "upper intestinal tract"}
#: Body parts of :data:`codekit._synonyms.PCS_STEMS` a scope reaches through a natural
#: opening (the mouth, the anus, the urethra, the vagina), not through the skin.
NATURAL = frozenset(("lower intestinal tract", "colon", "sigmoid colon", "bladder",
                     "tracheobronchial tree", "bronchus", "trachea", "esophagus", "stomach",
                     "duodenum", "upper intestinal tract", "ureter", "urethra", "vagina",
                     "uterus", "common bile duct", "ileum"))
#: The phrases of the tables, keyed by their words as :func:`codekit._search.stem` reads
#: them ("packed red cells" is "packed red cell").
_PHRASES = {tuple(singular(w) for w in k.split()): v
            for k, v in (*PCS_TERMS.items(), *TERMS.items()) if " " in k}
_LONGEST = max(map(len, _PHRASES))
#: The root operations of the Medical and Surgical section (and Delivery): a reading
#: that begins with one names the operation.
OPERATIONS = frozenset((
    "alteration", "bypass", "change", "control", "creation", "delivery", "destruction",
    "detachment", "dilation", "division", "drainage", "excision", "extirpation",
    "extraction", "fragmentation", "fusion", "insertion", "inspection", "map", "occlusion",
    "reattachment", "release", "removal", "repair", "replacement", "reposition",
    "resection", "restriction", "revision", "supplement", "transfer", "transplantation"))

#: The most readings of one query (each is searched: the cost grows with them).
MAX_READINGS = 5
#: A query of more words is read as written only (a name of a procedure is shorter; a
#: page of text would be searched five times over).
MAX_WORDS = 8

_ENDINGS = sorted(PCS_ENDINGS, key=len, reverse=True)


#: Words of a query that say a contrast was not used ("w/o" is "w o" once punctuation
#: is dropped) or was ("with and without contrast": the Unenhanced and Enhanced qualifier).
_NOT = frozenset(("without", "wo", "no", "non"))
_WITH = frozenset(("with", "w"))
#: A count of vessels (coronary arteries) -> the body part value of the coronary tables
#: that names it (0210-0213, 0270-0273: One Artery ... Four or More Arteries).
_ARTERIES = {"1": "one artery", "one": "one artery", "single": "one artery",
             "2": "two arteries", "two": "two arteries", "double": "two arteries",
             "3": "three arteries", "three": "three arteries", "triple": "three arteries",
             **dict.fromkeys(("4", "5", "6", "7", "8", "four", "five", "six", "quadruple",
                              "quintuple"), "four or more arteries")}
_VESSELS = frozenset(("vessel", "vessels", "artery", "arteries", "graft", "grafts",
                      "bypass"))
#: Words that make ``xN`` (``cabg x3``) a count of arteries.
_CORONARY = frozenset(("cabg", "bypass", "ptca", "pci", "coronary"))
#: A coronary bypass's saphenous vein (SVG) is the device Autologous Venous Tissue, a free
#: graft sewn to the aorta: the qualifier *Aorta* (``cabg x3 with saphenous vein``:
#: 021209W; the tables' other sources are an artery's own: a mammary, a coronary artery).
_VEIN_GRAFT = ["autologous", "venous", "tissue", "aorta"]


def plain(words: list[str]) -> list[str]:
    """A query's words with what they say of an axis as that axis' value says it: a
    contrast the query says was not used dropped (an Imaging title without contrast names
    none: *Computerized Tomography (CT Scan) of Head* is contrast Z, None), "with and
    without contrast" read as the contrast and its Unenhanced and Enhanced qualifier, and a
    count of vessels (``3 vessels``, ``triple bypass``, ``cabg x3``) read as the body part
    value that names it (*Three Arteries*).

    >>> plain("ct head w o contrast".split()), plain("cabg 3 vessel".split())
    (['ct', 'head'], ['cabg', 'three', 'arteries'])
    >>> plain("ct head with and without iv contrast".split())
    ['ct', 'head', 'contrast', 'unenhanced', 'enhanced']
    """
    out: list[str] = []
    coronary = not _CORONARY.isdisjoint(words)
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w == "w" and nxt == "o":  # w/o
            out.append("wo")
            i += 2
            continue
        if w in ("contrast", "contrasted") or w.startswith("noncontrast"):
            said: list[str] = []
            while out and out[-1] in _NOT | _WITH | {"and", "iv", "or"}:
                said.append(out.pop())
            if w.startswith("noncontrast") or (said and not _NOT.isdisjoint(said)
                                               and _WITH.isdisjoint(said)):
                pass  # no contrast: nothing to search
            elif not _NOT.isdisjoint(said):
                out += ["contrast", "unenhanced", "enhanced"]
            else:
                out += [*reversed(said), w]
            i += 1
            continue
        if nxt in _VESSELS and w in _ARTERIES:  # "3 vessels", "triple bypass"
            out += _ARTERIES[w].split()
            i += 1 if nxt == "bypass" else 2
            continue
        if coronary and w[:1] == "x" and (w[1:] or nxt) in _ARTERIES:  # "x3", "x 3"
            out += _ARTERIES[w[1:] or nxt].split()
            i += 1 if w[1:] else 2
            continue
        if coronary and (w == "svg" or (w == "saphenous" and nxt in ("vein", "veins"))):
            out += _VEIN_GRAFT  # the graft: the device (and where it comes from)
            i += 1 if w == "svg" else 2
            continue
        out.append(w)
        i += 1
    return out


def spelled(query: str, known: Container[str]) -> str:
    """``query`` (lower case, words apart) with each British spelling the titles (their
    words ``known``) do not write read as the American word the titles or the tables know
    (:func:`codekit._search.american`, the rules ICD-10-CM search reads them by): WHO's
    ICD-10 and British or Australian operation notes write "haemodialysis" (read as an
    operation ending in -lysis, a Release, before), "oesophagoscopy", "caesarean".

    >>> spelled("haemodialysis", set()), spelled("oesophagoscopy", set())
    ('hemodialysis', 'esophagoscopy')
    >>> spelled("shoes toe", set())  # no word the tables know: as written
    'shoes toe'
    """
    out = []
    for w in query.split():
        a = american(w)
        if a != w and w not in known and (a in known or _read(a)):
            w = a
        out.append(w)
    return " ".join(out)


def _read(word: str) -> bool:
    """Whether the tables read ``word``: a term, a phrase's word or a surgical term whose
    stem names a body part."""
    return bool(PCS_TERMS.get(word) or TERMS.get(word) or
                any(word == k for key in _PHRASES for k in key) or
                any(word.endswith(e) and word[:-len(e)].startswith(tuple(PCS_STEMS))
                    for e in _ENDINGS))


def term(word: str) -> tuple[str, ...]:
    """What one word of a query may be in PCS titles' words; ``()`` when it is itself.

    >>> term("hysterectomy"), term("lithotripsy"), term("knee")
    (('resection uterus', 'excision uterus'), ('fragmentation',), ())
    """
    found = PCS_TERMS.get(word) or TERMS.get(word)
    if found is None:
        one = singular(word)  # ("radiographs")
        found = PCS_TERMS.get(one) or TERMS.get(one)
    if found is not None:
        return found
    if len(word) < 6:
        return ()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[:-len(ending)]
            key = max((k for k in PCS_STEMS if stem.startswith(k)), key=len, default=None)
            if key is None:
                key = _near_stem(stem)
            ops = PCS_ENDINGS[ending]
            if key is None:
                return ops
            return _reading(ending, key, one=stem == key)
    return _misspelt(word)


def _reading(ending: str, stem: str, one: bool = False) -> tuple[str, ...]:
    """The readings of a term of ``ending`` after ``stem``: the operation and the body
    part; a scope into a body part reached through a natural opening goes that way
    (colonoscopy: *Via Natural or Artificial Opening Endoscopic*), to the part the
    Inspection tables have (:data:`_INSPECTED`). A stoma of ``one`` body part (the term's
    stem is that part's and no other's: ileostomy, not gastrojejunostomy) opens onto the
    skin: the Bypass of the part to Cutaneous first."""
    out = []
    for part in PCS_STEMS[stem]:
        for op in PCS_ENDINGS[ending]:
            if op == "inspection endoscopic" and part in NATURAL:
                op = "inspection via natural or artificial opening endoscopic"
                if part in _INSPECTED:
                    out.append(f"{op} {_INSPECTED[part]}")
            if op == "bypass" and one:
                out.append(f"bypass {part} cutaneous")
            out.append(f"{op} {part}")
    return tuple(out)


def _near_stem(stem: str) -> str | None:
    """The stem of :data:`PCS_STEMS` that ``stem`` begins with one letter wrong, missing
    or extra (``apend``: append; ``tonsil``: tonsill), the longest; None when none."""
    from rapidfuzz.distance import Levenshtein

    best = None
    for k in PCS_STEMS:
        if len(k) < 4 or (best is not None and len(k) <= len(best)):
            continue
        if any(Levenshtein.distance(stem[:len(k) + d], k, score_cutoff=1) <= 1
               for d in (-1, 0, 1)):
            best = k
    return best


def _misspelt(word: str) -> tuple[str, ...]:
    """:func:`term` of a word whose ending is one letter off (``hysterectmy``,
    ``cholecystecomy``), when its stem names a body part; ``()`` otherwise (``anatomy``
    is no -otomy)."""
    from rapidfuzz.distance import Levenshtein

    for ending in _ENDINGS:
        if len(ending) < 5:
            continue
        for size in (len(ending) - 1, len(ending), len(ending) + 1):
            tail = word[-size:]
            if len(word) > size + 2 and tail != ending and \
                    Levenshtein.distance(tail, ending, score_cutoff=1) <= 1:
                stem = word[:-size]
                key = max((k for k in PCS_STEMS if stem.startswith(k)), key=len,
                          default=None) or _near_stem(stem)
                if key is not None:
                    return _reading(ending, key)
    return ()


#: Words of a reading that name an approach.
_APPROACH_WORDS = frozenset(("open", "percutaneous", "external", "via", "endoscopic"))
_SCOPE = re.compile(r" ?(?:via natural or artificial opening )?endoscopic\b")


#: The body parts of the tables above: a reading naming one names where an operation is.
_PARTS = frozenset((*(p for parts in PCS_STEMS.values() for p in parts), *NATURAL,
                    "ampulla of vater"))
#: Root operations done on a device already in place.
_ON_DEVICE = frozenset(("revision", "removal", "change"))


#: A body part of :data:`_PARTS` as whole words of a reading (the words of a part apart by
#: any white space, none of it before or after them).
_PART = re.compile(r"(?<!\S)(?:" + "|".join(
    r"\s+".join(map(re.escape, p.split())) for p in sorted(_PARTS, key=len, reverse=True)
) + r")(?!\S)")


def _names_part(alts: tuple[str, ...]) -> bool:
    """Whether a segment's readings name a body part (of :data:`_PARTS`, as whole words).

    >>> _names_part(("excision diagnostic ureter",)), _names_part(("excision diagnostic",))
    (True, False)
    >>> _names_part(("inspection lower intestinal tract",)), _names_part(("colonic",))
    (True, False)
    """
    return any(_PART.search(a) for a in alts)


def _approach(reading: str) -> str:
    """A scope's reading without its body part: its approach only."""
    found = _SCOPE.search(reading)
    return found.group().strip() if found else ""


def _natural_way(merged: list[tuple[str, ...]], firsts: list[set[str]]
                 ) -> list[tuple[str, ...]]:
    """A Dilation (a stent's, or the word) of a body part reached through a natural
    opening (:data:`NATURAL`: an esophagus, a ureter, a bile duct), when the query names
    no approach: through that opening with a scope first (``esophageal dilation``:
    0D758ZZ; ``ureteral stent``: 0T7[678]8DZ), the readings without it after (a stent's
    percutaneous is a vessel's: dropped)."""
    dilation = [k for k, first in enumerate(firsts) if first == {"dilation"}]
    if not dilation:
        return merged
    said = [a for k, alts in enumerate(merged) for a in alts
            if k not in dilation or "percutaneous" not in a.split()]
    if not any(f" {p} " in f" {a} " for a in said for p in NATURAL) or \
            any(not _APPROACH_WORDS.isdisjoint(a.split()) for a in said):
        return merged
    way = "via natural or artificial opening endoscopic"
    out = list(merged)
    for k in dilation:
        kept = [a for a in merged[k] if "percutaneous" not in a.split()]
        out[k] = tuple(dict.fromkeys((f"{kept[0]} {way}" if kept else way, *kept)))
    return out


#: The operations of the Administration section (3): a substance (blood) put in.
_ADMINISTRATION = frozenset(("transfusion", "introduction"))
#: The route a transfusion or an introduction goes by when the query names none (the
#: readings of :data:`TERMS` that say it); a site the query names takes its place.
_DEFAULT_ROUTE = " peripheral vein percutaneous"
#: A line or a word of a route beside an administration: the vein the substance goes
#: into, not a device put in (table 302 and 3E0: *Central Vein*, *Peripheral Vein*; a
#: central line's or a PICC's tip lies in a central vein).
_ROUTE_OF: dict[tuple[str, ...], tuple[str, ...]] = {
    TERMS["central line"]: ("central vein percutaneous",),
    TERMS["picc"]: ("central vein percutaneous",),
    ("iv",): ("peripheral vein percutaneous",),
    ("intravenous",): ("peripheral vein percutaneous",),
}
#: Joints a query names: the Administration tables' body part is the *Joints* (3E0U),
#: whichever joint it is.
_JOINTS = frozenset(("knee", "hip", "shoulder", "elbow", "wrist", "ankle", "joint",
                     "joints"))


def _administered(merged: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Segments read beside a transfusion or an introduction (:data:`_ADMINISTRATION`): a
    line or ``iv`` is the vein it goes into (:data:`_ROUTE_OF`: ``blood transfusion central
    line`` is 30243N1, Central Vein), a joint the *Joints* (``steroid injection knee``:
    3E0U33Z), and the default route (:data:`_DEFAULT_ROUTE`) gives way to a vein named."""
    given = {k for k, alts in enumerate(merged)
             if any(a.split(" ", 1)[0] in _ADMINISTRATION for a in alts)}
    if not given:
        return merged
    out = [alts if k in given else _ROUTE_OF.get(alts) or
           (("joint",) if len(alts) == 1 and alts[0] in _JOINTS else alts)
           for k, alts in enumerate(merged)]
    if any("vein" in a.split() for k, alts in enumerate(out) if k not in given
           for a in alts):
        out = [tuple(dict.fromkeys(a.replace(_DEFAULT_ROUTE, "") for a in alts))
               if k in given else alts for k, alts in enumerate(out)]
    return out


#: Words after an -ostomy that name its tube: a tube put in through the skin into the
#: part (a nephrostomy, a cholecystostomy, a cystostomy tube) drains it: the Drainage of
#: the part with a Drainage Device, Percutaneous (0T9030Z, 0F9430Z; the Device Key lists
#: a cystostomy tube and a nephrostomy catheter as Drainage Devices), no stoma made (a
#: Bypass to Cutaneous). A gastrostomy (G) tube, a feeding device, is read as a phrase first.
_TUBES = frozenset(("tube", "tubes", "catheter", "drain"))


def _tube(word: str, nxt: str) -> tuple[str, ...]:
    """The readings of an -ostomy ``word`` followed by a word of its tube (``nxt`` in
    :data:`_TUBES`): the drainage of its body part with a drainage device; ``()`` else."""
    if nxt not in _TUBES or not word.endswith("ostomy"):
        return ()
    parts = dict.fromkeys(a.removeprefix("bypass ").removesuffix(" cutaneous")
                          for a in term(word) if a.startswith("bypass "))
    return tuple(f"drainage {p} drainage device{way}" for p in parts
                 for way in (" percutaneous", ""))


#: The body parts of a scope's or a term's reading -> the region the Control table
#: (0W3: "Stopping, or attempting to stop, postprocedural or other acute bleeding")
#: names: *Control Bleeding in Gastrointestinal Tract* is of the esophagus, the stomach,
#: the duodenum or the colon (the definition's "control of bleeding duodenal ulcer").
_REGION_OF = {
    **dict.fromkeys(("upper intestinal tract", "lower intestinal tract", "stomach",
                     "esophagus", "duodenum", "sigmoid colon", "colon", "ileum"),
                    "gastrointestinal tract"),
    **dict.fromkeys(("tracheobronchial tree", "bronchus", "trachea"), "respiratory tract"),
    **dict.fromkeys(("bladder", "ureter", "urethra"), "genitourinary tract"),
}
_REGIONS = re.compile(r"\b(?:" + "|".join(sorted(_REGION_OF, key=len, reverse=True)) + r")\b")


def _partial(merged: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A term of a resection or an excision (an -ectomy) said to be partial: the Excision
    only ("cutting out ... a portion of a body part"; the definition "includes partial
    nephrectomy"), the word "partial" read into it."""
    if ("partial",) not in merged:
        return merged
    cut = [k for k, alts in enumerate(merged)
           if any(a.startswith("resection ") for a in alts)
           and any(a.startswith("excision ") for a in alts)]
    if not cut:
        return merged
    return [("",) if alts == ("partial",)
            else tuple(a for a in alts if not a.startswith("resection ")) if k in cut
            else alts for k, alts in enumerate(merged)]


def _pulled(merged: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A removal's segments naming a device that is pulled out (:data:`_PULLED`) read with
    the External approach first (the approach of its insertion dropped), then with none,
    when no other segment names an approach."""
    pulled = {k for k, alts in enumerate(merged)
              if any(d in a for a in alts for d in _PULLED)}
    if not pulled or any(_APPROACH.search(a) for k, alts in enumerate(merged)
                         if k not in pulled for a in alts):
        return merged
    out = list(merged)
    for k in pulled:
        bare = [" ".join(_APPROACH.sub("", a).split()) for a in merged[k]]
        out[k] = tuple(dict.fromkeys(x for b in bare for x in (f"{b} external", b)))
    return out


def _through(reading: str, own: bool) -> str:
    """A scope's reading beside another operation: its approach dropped when that
    operation says its own (``own``)."""
    return _SCOPE.sub("", reading).strip() if own else reading


def readings(query: str) -> list[str]:
    """``query`` as written (what it says of a contrast or a count of vessels read by
    :func:`plain`), then up to :data:`MAX_READINGS` - 1 readings in the words of PCS titles
    (none when no word of it is a term the tables know, or it has more than
    :data:`MAX_WORDS` words).

    >>> readings("ct head without contrast")
    ['ct head', 'computerized tomography head']
    """
    words = query.split()
    if len(words) > MAX_WORDS:
        return [query]
    words = plain(words)
    query = " ".join(words)
    # phrases first (words read as one, the longest first): "knee replacement", "c section"
    merged: list[tuple[str, ...]] = []
    operated: dict[int, str] = {}  # segment -> its word of OPERATED
    access: set[int] = set()  # segments of an incision's term (craniotomy)
    solid: set[int] = set()  # segments of a word of solid matter (hematoma)
    stems = [singular(w) for w in words]
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 1, -1):
            found = _PHRASES.get(tuple(stems[i:i + n]))
            if found is not None:
                merged.append(found)
                i += n
                break
        else:
            tube = _tube(words[i], words[i + 1] if i + 1 < len(words) else "")
            if tube:
                merged.append(tube)
                i += 2
                continue
            found = term(words[i])
            if found is _EVACUATION and not SOLID.isdisjoint(words):
                found = ("extirpation matter",)  # of a hematoma, a clot
            if words[i].endswith("otomy") and any(words[i].startswith(k) for k in ACCESS):
                access.add(len(merged))
            if not found and words[i] in OPERATED:
                operated[len(merged)] = words[i]
                found = OPERATED[words[i]]
            if words[i] in SOLID:
                solid.add(len(merged))
            merged.append(found or (words[i],))
            i += 1
    merged = _administered(merged)
    firsts = [{w for a in alts for w in a.split()[:1]} & OPERATIONS for alts in merged]
    # an incision made for solid matter ("craniotomy for subdural hematoma") and no other
    # operation named: the matter is what is taken out through it (Extirpation; the PCS
    # Index: "Evacuation, Hematoma see Extirpation")
    if access and solid and not any(f for k, f in enumerate(firsts) if k not in access):
        merged = [("extirpation matter",) if k in solid else alts
                  for k, alts in enumerate(merged)]
        firsts = [{"extirpation"} if k in solid else f for k, f in enumerate(firsts)]
    if operated and not any(firsts):  # no operation named: those words as written
        merged = [(operated[k],) if k in operated else alts for k, alts in enumerate(merged)]
    # an incision that reaches the site of another operation named: its Open approach
    if access and any(f for k, f in enumerate(firsts) if k not in access):
        merged = [("open",) if k in access else alts for k, alts in enumerate(merged)]
        firsts = [set() if k in access else f for k, f in enumerate(firsts)]
    merged = _partial(_natural_way(merged, firsts))
    if all(len(alts) == 1 and alts[0] in words for alts in merged):
        return [query]
    # an endoscopy with another operation: the other operation, through the scope, unless
    # that operation is always of its own approach (a PEG with an EGD is percutaneous
    # endoscopic; a stent's percutaneous is only the reading of a stent named alone, the
    # reading without it beside)
    if any(f - {"inspection"} for f in firsts):
        own = any(all(not _APPROACH_WORDS.isdisjoint(a.split()) for a in alts)
                  for alts, f in zip(merged, firsts, strict=True) if f - {"inspection"})
        # the operation is coded to the body part it is done on: the scope's own site only
        # when the query names no other ("cystoscopy with biopsy of ureter": the ureter)
        named = any(_names_part(alts) for alts, f in zip(merged, firsts, strict=True)
                    if f != {"inspection"})
        merged = [tuple(dict.fromkeys(_through(_approach(a) if named else
                                               a.removeprefix("inspection "), own)
                                      for a in alts))
                  if f == {"inspection"} else alts
                  for alts, f in zip(merged, firsts, strict=True)]
    # a device with another operation ("g tube removal"): the device, not its insertion;
    # with an operation on a device in place (a revision, a removal, a change), not the
    # operation that put it in ("vp shunt revision": the shunt's synthetic substitute)
    if any(f - {"inspection", "insertion"} for f in firsts):
        on_device = any(f & _ON_DEVICE for f in firsts)
        merged = [_DEVICE_OF[alts] if on_device and alts in _DEVICE_OF
                  else tuple(a.removeprefix("insertion ") for a in alts) if f == {"insertion"}
                  else alts for alts, f in zip(merged, firsts, strict=True)]
        if any("removal" in f for f in firsts):
            merged = _pulled(merged)
    if any("control" in f for f in firsts):  # of bleeding: in the region (table 0W3)
        merged = [tuple(dict.fromkeys(_REGIONS.sub(lambda m: _REGION_OF[m.group()], a)
                                      for a in alts)) for alts in merged]
    out = [query]
    for combo in itertools.product(*merged):
        text = " ".join(filter(None, combo))
        if text not in out:
            out.append(text)
        if len(out) >= MAX_READINGS:
            break
    return out
