"""A realistic, seeded generator of PubMed XML (a baseline-style ``<PubmedArticleSet>``) of any size.

    python bench/generate.py 5000 /tmp/pubmed-5000.xml.gz [--seed 0] [--deletions 20]

or ``from generate import generate; generate(5000, Path("out.xml.gz"), seed=0)``.

Why not repeat the real fixtures (as an earlier benchmark did)? Repeats make every journal, author, MeSH term and cited
work identical across thousands of records, which flatters caches and hides the cost of what really varies. Here each
record is drawn afresh, with distributions measured on the real fixtures (the 49 distinct records of ``tests/data/xml``,
the efetch answers and baseline excerpts described in ``../shared/data/PROVENANCE.md``) and scaled to the issue's
profile of about 30 references, 10 MeSH headings and 6 authors an article (``--describe`` prints a file's figures):

==================  ==========================================  ==============================================
per article         fixtures (49 records)                       generated (5,000, seed 0)
==================  ==========================================  ==============================================
authors             5.8, median 3, max 48; 8% none              5.9, median 4, max 146; 3% none
ORCID               35% of articles have some, ~5 there         31%, ~3.4 there; bare, URL, unhyphenated, bad
CollectiveName      12% of articles                             5%
MeSH headings       5.5; 53% indexed, 10.4 there                10.0; 78% indexed (MEDLINE), 12.8 there
qualifiers          0.53 a heading                              0.59 a heading
keywords            2.4; 45% have some, 5.3 there               2.4; 45%, 5.2 there
references          15.8; 31% have some, 51 there (one has 395)  29.5; 74%, 40 there (the issue's ~30)
abstract            69%, 1,350 characters there, 35% labelled   85%, 1,360 characters there, 29% labelled
grants, chemicals   20% / 27% of articles                       20% / 27%
==================  ==========================================  ==============================================

MeSH descriptor UIs and names, chemicals and keyword terms are real: they come from rdfgen's bundled table
``rdfgen/data/mesh-descriptors.tsv.gz``; journals, qualifiers, publication types, grant agencies and citation styles
are copied from the fixtures. Output is deterministic: the same n and seed give the same bytes (gzip with mtime 0 and
no file name), and the first k records of a file of n are the records of a file of k (each record has its own
random stream), so a small subset file stands for the start of a big one.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESH_TABLE = ROOT / "rdfgen" / "data" / "mesh-descriptors.tsv.gz"
FIRST_PMID = 31_000_000
"""PMIDs grow from here by 1-5 (as a baseline file's do), so they are unique and increasing."""

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
"""What the fixtures start with, minus the DOCTYPE line (rdfgen's reader never loads a DTD)."""

# Pools copied from the real fixtures -------------------------------------------------------------------------------

JOURNALS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # title, ISO abbreviation, ISSN type, ISSN, NLM unique id, country, ISSN linking (MedlineTA = ISO without dots)
    ("BMJ case reports", "BMJ Case Rep", "Electronic", "1757-790X", "101526291", "England", "1757-790X"),
    ("The Plant cell", "Plant Cell", "Electronic", "1532-298X", "9208688", "England", "1040-4651"),
    ("Gut", "Gut", "Electronic", "1468-3288", "2985108R", "England", "0017-5749"),
    ("Neurology", "Neurology", "Electronic", "1526-632X", "0401060", "United States", "0028-3878"),
    ("Clinical rehabilitation", "Clin Rehabil", "Electronic", "1477-0873", "8802181", "England", "0269-2155"),
    ("Frontiers in endocrinology", "Front Endocrinol (Lausanne)", "Print", "1664-2392", "101555782", "Switzerland",
     "1664-2392"),
    ("The Biochemical journal", "Biochem J", "Print", "0264-6021", "2984726R", "England", "0264-6021"),
    ("Vnitrni lekarstvi", "Vnitr Lek", "Print", "0042-773X", "0413602", "Czech Republic", "0042-773X"),
    ("The international journal of cardiovascular imaging", "Int J Cardiovasc Imaging", "Electronic", "1875-8312",
     "100969716", "United States", "1569-5794"),
    ("Clinical chemistry and laboratory medicine", "Clin Chem Lab Med", "Electronic", "1437-4331", "9806306",
     "Germany", "1434-6621"),
    ("Journal of bacteriology", "J Bacteriol", "Electronic", "1098-5530", "2985120R", "United States", "0021-9193"),
    ("Nanotechnology", "Nanotechnology", "Electronic", "1361-6528", "101241272", "England", "0957-4484"),
    ("AIDS care", "AIDS Care", "Electronic", "1360-0451", "8915313", "England", "0954-0121"),
    ("Arquivos brasileiros de cardiologia", "Arq Bras Cardiol", "Electronic", "1678-4170", "0421031", "Brazil",
     "0066-782X"),
    ("Antimicrobial agents and chemotherapy", "Antimicrob Agents Chemother", "Electronic", "1098-6596", "0315061",
     "United States", "0066-4804"),
    ("Sante mentale au Quebec", "Sante Ment Que", "Electronic", "1708-3923", "9424773", "Canada", "0383-6320"),
    ("Vestnik oftalmologii", "Vestn Oftalmol", "Print", "0042-465X", "0415216", "Russia (Federation)", "0042-465X"),
    ("Zhong nan da xue xue bao. Yi xue ban = Journal of Central South University. Medical sciences",
     "Zhong Nan Da Xue Xue Bao Yi Xue Ban", "Print", "1672-7347", "101230586", "China", "1672-7347"),
    ("Nature genetics", "Nat Genet", "Print", "1061-4036", "9216904", "United States", "1061-4036"),
    ("The Journal of clinical endocrinology and metabolism", "J Clin Endocrinol Metab", "Print", "0021-972X",
     "0375362", "United States", "0021-972X"),
    ("Journal of neurochemistry", "J Neurochem", "Print", "0022-3042", "2985190R", "England", "0022-3042"),
    ("Ginecologia y obstetricia de Mexico", "Ginecol Obstet Mex", "Print", "0300-9041", "0376552", "Mexico",
     "0300-9041"),
    ("Zeitschrift fur Rheumatologie", "Z Rheumatol", "Print", "0340-1855", "0414162", "Germany", "0340-1855"),
    ("Biochemistry", "Biochemistry", "Print", "0006-2960", "0370623", "United States", "0006-2960"),
    ("Nature", "Nature", "Print", "0028-0836", "0410462", "England", "0028-0836"),
    ("JBJS case connector", "JBJS Case Connect", "Electronic", "2160-3251", "101596828", "United States",
     "2160-3251"),
    ("The Journal of chemical physics", "J Chem Phys", "Electronic", "1089-7690", "0375360", "United States",
     "0021-9606"),
    ("Survey of ophthalmology", "Surv Ophthalmol", "Electronic", "1879-3304", "0404551", "United States",
     "0039-6257"),
    ("Magnetic resonance in medicine", "Magn Reson Med", "Electronic", "1522-2594", "8505245", "United States",
     "0740-3194"),
    ("Intensive care medicine", "Intensive Care Med", "Electronic", "1432-1238", "7704851", "United States",
     "0342-4642"),
    ("BMJ open respiratory research", "BMJ Open Respir Res", "Electronic", "2052-4439", "101638061", "England",
     "2052-4439"),
    ("Chemical science", "Chem Sci", "Print", "2041-6520", "101545951", "England", "2041-6520"),
    ("Dalton transactions (Cambridge, England : 2003)", "Dalton Trans", "Electronic", "1477-9234", "101176026",
     "England", "1477-9226"),
    ("Annals of clinical biochemistry", "Ann Clin Biochem", "Electronic", "1758-1001", "0324055", "England",
     "0004-5632"),
    ("Nederlands tijdschrift voor tandheelkunde", "Ned Tijdschr Tandheelkd", "Print", "0028-2200", "0400771",
     "Netherlands", "0028-2200"),
    ("Der Nervenarzt", "Nervenarzt", "Electronic", "1433-0407", "0400773", "Germany", "0028-2804"),
    ("Gerontology & geriatric medicine", "Gerontol Geriatr Med", "Print", "2333-7214", "101662571", "United States",
     "2333-7214"),
    ("Journal of medical imaging (Bellingham, Wash.)", "J Med Imaging (Bellingham)", "Print", "2329-4302",
     "101643461", "United States", "2329-4302"),
)

CITED_JOURNALS = (
    "N Engl J Med", "Lancet", "JAMA", "BMJ", "Nat Genet", "Nature", "Science", "Cell", "Proc Natl Acad Sci U S A",
    "J Biol Chem", "PLoS One", "Sci Rep", "Nat Commun", "Am J Med Genet A", "Genet Med", "J Clin Oncol",
    "Am J Respir Crit Care Med", "Radiology", "Circulation", "J Am Heart Assoc", "Am J Epidemiol", "Stroke",
    "Biophys J", "J Phys Chem B", "Magn Reson Med", "Antimicrob Agents Chemother", "J Bacteriol", "Gut",
    "Intensive Care Med", "Clin Chem Lab Med", "Int J Cancer", "Hum Mol Genet", "J Natl Cancer Inst", "Genes Dev",
    "Menopause", "Arthroscopy", "Cochrane Database Syst Rev", "BMC Public Health", "Front Immunol", "Neurology",
)

QUALIFIERS = (  # (UI, name) as in the fixtures' QualifierName, most frequent first
    ("Q000235", "genetics"), ("Q000494", "pharmacology"), ("Q000000981", "diagnostic imaging"),
    ("Q000378", "metabolism"), ("Q000032", "analysis"), ("Q000379", "methods"), ("Q000601", "surgery"),
    ("Q000187", "drug effects"), ("Q000592", "standards"), ("Q000453", "epidemiology"), ("Q000150", "complications"),
    ("Q000097", "blood"), ("Q000008", "administration & dosage"), ("Q000191", "economics"),
    ("Q000276", "immunology"), ("Q000002", "abnormalities"), ("Q000201", "enzymology"), ("Q000175", "diagnosis"),
    ("Q000266", "history"), ("Q000188", "drug therapy"), ("Q000628", "therapy"), ("Q000652", "urine"),
    ("Q000382", "microbiology"), ("Q000737", "chemistry"), ("Q000517", "prevention & control"),
    ("Q000502", "physiology"), ("Q000098", "blood supply"), ("Q000096", "biosynthesis"),
    ("Q000031", "analogs & derivatives"), ("Q000009", "adverse effects"), ("Q000627", "therapeutic use"),
    ("Q000532", "radiotherapy"), ("Q000556", "secondary"), ("Q000401", "mortality"), ("Q000209", "etiology"),
    ("Q000523", "psychology"), ("Q000637", "transplantation"), ("Q000293", "injuries"),
)

QUALIFIER_WEIGHTS = tuple(sum(1 / (i + 2) for i in range(k + 1)) for k in range(len(QUALIFIERS)))
"""Cumulative 1/rank weights: genetics, pharmacology and diagnostic imaging lead, as in the fixtures."""

PUBLICATION_TYPES = (  # extra types after "Journal Article", with weights from the fixtures
    (("D013485", "Research Support, Non-U.S. Gov't"), 8), (("D016454", "Review"), 5), (("D016421", "Editorial"), 2),
    (("D052061", "Research Support, N.I.H., Extramural"), 4), (("D002363", "Case Reports"), 3),
    (("D004740", "English Abstract"), 2), (("D013486", "Research Support, U.S. Gov't, Non-P.H.S."), 2),
    (("D016456", "Historical Article"), 1), (("D064888", "Observational Study"), 2),
    (("D017065", "Practice Guideline"), 1), (("D016448", "Multicenter Study"), 2),
    (("D003160", "Comparative Study"), 2),
    (("D016449", "Randomized Controlled Trial"), 2), (("D017418", "Meta-Analysis"), 1),
    (("D000078182", "Systematic Review"), 1), (("D016422", "Letter"), 1), (("D016420", "Comment"), 1),
)

GRANT_AGENCIES = (  # (agency, country, acronym or "") from the fixtures' GrantList
    ("NCI NIH HHS", "United States", "CA"), ("NHLBI NIH HHS", "United States", "HL"),
    ("NIAID NIH HHS", "United States", "AI"), ("NIA NIH HHS", "United States", "AG"),
    ("NCATS NIH HHS", "United States", "TR"), ("NIBIB NIH HHS", "United States", "EB"),
    ("NINDS NIH HHS", "United States", "NS"), ("NIH HHS", "United States", "OD"),
    ("WHI NIH HHS", "United States", "WH"), ("ODCDC CDC HHS", "United States", "CD"),
    ("BLRD VA", "United States", "BX"),
    ("Austrian Science Fund FWF", "Austria", "FWF_"), ("MEC | Instituto de Salud Carlos III (ISCIII)", "", ""),
    ("Axencia Galega de Innovación (GAIN)", "", ""),
    ("Schweizerischer Nationalfonds zur Förderung der Wissenschaftlichen Forschung", "", ""),
    ("Swissheart Foundation", "", ""), ("Cancer Prevention and Research Institute of Texas", "", ""),
    ("The Welch Foundation", "", ""), ("Olga Mayenfisch Stiftung", "", ""), ("Wellcome Trust", "United Kingdom", ""),
    ("Medical Research Council", "United Kingdom", "MRC_"), ("National Natural Science Foundation of China", "", ""),
)

STATUSES = (  # (MedlineCitation Status, PublicationStatus, PubModel), weights as in the fixtures' mix
    (("MEDLINE", "ppublish", "Print"), 30), (("MEDLINE", "ppublish", "Print-Electronic"), 30),
    (("MEDLINE", "epublish", "Electronic"), 18), (("PubMed-not-MEDLINE", "epublish", "Electronic-eCollection"), 6),
    (("PubMed-not-MEDLINE", "ppublish", "Print"), 4), (("Publisher", "aheadofprint", "Print-Electronic"), 5),
    (("In-Data-Review", "ppublish", "Print-Electronic"), 4), (("In-Process", "ppublish", "Print"), 3),
)

MEDLINE_DATES = ("{y} Jan-Dec", "{y} Jul-Sep", "{y} Jul-Aug", "{y} 3rd Quarter", "{y} Apr 17-21", "{y} Nov-{y1} May",
                 "{y}-{y1}", "{y} Jan-Feb")
"""MedlineDate spellings seen in the fixtures (about 1 record in 6 there, mostly old; 1 in 20 here)."""

ABSTRACT_LABELS = (  # structured abstracts: (Label, NlmCategory) sequences from the fixtures
    (("BACKGROUND", "BACKGROUND"), ("METHODS", "METHODS"), ("RESULTS", "RESULTS"), ("CONCLUSIONS", "CONCLUSIONS")),
    (("OBJECTIVE", "OBJECTIVE"), ("DESIGN", "METHODS"), ("SETTING", "METHODS"), ("RESULTS", "RESULTS"),
     ("CONCLUSION", "CONCLUSIONS")),
    (("PURPOSE", "OBJECTIVE"), ("MATERIALS AND METHODS", "METHODS"), ("RESULTS", "RESULTS"),
     ("CONCLUSION", "CONCLUSIONS")),
    (("IMPORTANCE", None), ("OBJECTIVE", None), ("METHODS", None), ("RESULTS", None), ("CONCLUSIONS", None)),
    (("Background", "UNASSIGNED"), ("Purpose", "UNASSIGNED"), ("Study design", "UNASSIGNED"),
     ("Results", "UNASSIGNED"), ("Conclusion", "UNASSIGNED"), ("Level of Evidence", "UNASSIGNED")),
    (("RESEARCH QUESTION", "OBJECTIVE"), ("STUDY DESIGN AND METHODS", "METHODS"), ("RESULTS", "RESULTS"),
     ("INTERPRETATION", "CONCLUSIONS")),
)

KEYWORDS = (  # real author keywords from the fixtures (Unicode included)
    "asthma", "chronic obstructive lung disease", "magnetic resonance imaging", "thoracic computed tomography",
    "cancer screening", "traditional Chinese medicine", "Dry needling", "knee pain", "patellofemoral pain syndrome",
    "rehabilitation", "Knee osteoarthritis", "randomized controlled trial", "sham acupuncture", "Acupuncture",
    "Intensive care unit", "Pain management", "musculoskeletal symptoms", "older adults", "DNA methylation",
    "chromatin remodeling", "epigenetics", "histone modifications", "non-coding RNA", "obesity",
    "transcription factors", "kidney diseases", "practice guideline", "urinalysis", "urinary tract infections",
    "ESKAPE pathogen", "Klebsiella pneumoniae", "TonB-dependent iron acquisition", "ferric enterobactin",
    "iron transport", "siderophores", "site-directed mutagenesis", "doped SnO2 thin films", "Enterobacterales",
    "antimicrobial resistance", "carbapenemase", "cefiderocol", "β-lactamase", "β-lactamase inhibitor", "choroid",
    "pachychoroid diseases", "maternal and child health services", "postpartum visit", "Laparoscopy",
    "Pelvic Inflammatory Disease", "calcium and bone", "congenital disorders", "genetics",
    "dynamic nuclear polarization", "hyperpolarized pyruvate", "Cardiovascular disease", "Critical illness",
    "Gender bias", "Survival", "Women", "Bronchoscopy", "Imaging/CT MRI etc", "Massive Haemoptysis",
    "Mexican-American", "early literacy", "joint engagement", "COVID-19", "SARS-CoV-2", "machine learning",
    "deep learning", "mendelian randomization", "TNF-α", "IL-1β", "microbiome", "quality of life",
)

COI_STATEMENTS = ("Competing interests: None declared.", "The authors declare no conflict of interest.",
                  "Dr. Müller reports grants from Roche & Novartis, outside the submitted work.")

COLLECTIVES = (
    "Canadian Respiratory Research Network", "Swiss Society of Intensive Care Medicine", "ARTEMHYS trial group",
    "Alzheimer's Disease Collaborative Group",
    "Task and Finish Group for Urinalysis (TFG-U), European Federation of Clinical Chemistry and Laboratory Medicine "
    "(EFLM)",
    "GEMARA-SEIMC/CIBERINFEC Study Group on the activity and resistance mechanisms to new β-lactams and β-lactamase "
    "inhibitors (PROTECT)",
    "COVIDSurg Collaborative", "Global Burden of Disease Study 2019 Collaborators", "SWAN Investigators",
)

LAST_NAMES = (
    "Lau", "Athalye-Jape", "Amery", "Frank", "Harkess", "Washburn", "Zhang", "Wang", "Li", "Liu", "Chen", "Yang",
    "Huang", "Zhao", "Wu", "Zhou", "Kim", "Lee", "Park", "Choi", "Nakamura", "Suzuki", "Takahashi", "Tanaka",
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "García", "Rodríguez", "Martínez",
    "Hernández", "López", "González", "Pérez", "Sánchez", "Gómez", "Fernández", "Müller", "Schmidt", "Schneider",
    "Fischer", "Weber", "Schäfer", "Köhler", "Hüfner", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Dubois",
    "Lefèvre", "Djibré", "Labbé", "Gibelin", "Rivera", "Ávila", "Marques-Santos", "Gonçalves", "Araújo", "Søndergaard",
    "Jørgensen", "Nieminen", "Kowalski", "Wójcik", "Dvořák", "Novák", "Papadopoulos", "Ivanov", "Smirnova", "Kaya",
    "Yılmaz", "Öztürk", "Singh", "Kumar", "Patel", "Sharma", "Gupta", "Nguyen", "Tran", "Pham", "O'Neil",
    "van der Berg", "de Jong", "Van de Werf", "El Khoudary", "Ter-Minassian", "Koudouovoh-Tripp", "McLoughlin",
)

GIVEN_NAMES = (
    "Gloria Tze Yan", "Gayatri", "Natasha", "Margaret", "Alex", "Jacob", "Wei", "Xiaoming", "Jing", "Yan", "Hui",
    "Min-Jun", "Seo-yeon", "Hiroshi", "Yuki", "Haruto", "John", "Mary", "Robert", "Patricia", "Michael", "Jennifer",
    "David", "Sarah", "José", "María", "Juan Carlos", "Lucía", "Javier", "Sofía", "Jürgen", "Anja", "Björn", "Jörg",
    "Katharina", "Giulia", "Marco", "Francesca", "Jean-Pierre", "Hélène", "Amélie", "François", "Michel", "Vincent",
    "Ana Paula", "João", "Luís", "Søren", "Mette", "Mikko", "Łukasz", "Agnieszka", "Jiří", "Tomáš", "Eleni",
    "Dmitry", "Olga", "Ayşe", "Mehmet", "Priya", "Rahul", "Anil", "Thi Thu", "Van Anh", "Aisha", "Olusegun",
    "Kwame", "Fatima", "Ahmed", "Samir", "Noa", "Lars", "Ingrid", "Eva Caroline", "Samar R", "Ian M",
)

SUFFIXES = ("Jr", "2nd", "3rd", "Sr")

DEPARTMENTS = (
    "Department of Medicine", "Department of Pathology", "Department of Biostatistics", "Department of Radiology",
    "Division of Cardiology", "Department of Microbiology and Immunology", "Department of Neurology",
    "Department of Epidemiology", "Neonatology", "Intensive Care Unit", "School of Public Health",
    "Department of Chemistry and Nanoscience", "Institute of Biotechnology", "Service de Biologie Médicale",
    "Servicio de Microbiología Clínica", "Klinik für Innere Medizin", "Department of Acupuncture and Moxibustion",
    "Key Laboratory of Weak-Light Nonlinear Photonics, Ministry of Education", "Center for Molecular Cardiology",
)

INSTITUTIONS = (  # (institution, place)
    ("Harvard Medical School", "Boston, Massachusetts, USA"),
    ("Brigham and Women's Hospital", "Boston, Massachusetts, USA"),
    ("King Edward Memorial Hospital", "Subiaco, Western Australia, Australia"),
    ("Cornell University", "Ithaca, New York 14853"), ("University of Zurich", "Zurich, Switzerland"),
    ("University Hospital Basel", "Petersgraben 4, 4031, Basel, Switzerland"),
    ("Universidade Federal de São Paulo (UNIFESP)", "São Paulo, SP - Brasil"),
    ("Hôpital Pitié-Salpêtrière, Sorbonne Université", "Paris, France"),
    ("Complexo Hospitalario Universitario A Coruña", "A Coruña, Spain"),
    ("Universitätsklinikum Köln", "Köln, Germany"), ("Karolinska Institutet", "Stockholm, Sweden"),
    ("Central South University", "Changsha 410013, China"), ("Nankai University", "Tianjin 300071, China"),
    ("Beijing University of Chinese Medicine", "Beijing, China"), ("Ewha Womans University", "Seoul 03760, Korea"),
    ("The University of Tokyo", "Tokyo, Japan"), ("University of Western Ontario", "London, Ontario, Canada"),
    ("Université de Montréal", "Montréal, Québec, Canada"), ("Jagiellonian University", "Kraków, Poland"),
    ("Kermanshah University of Medical Sciences", "Kermanshah, Iran"),
    ("The University of Texas Southwestern Medical Center", "Dallas, Texas, USA"),
    ("Liverpool University Hospitals NHS Foundation Trust", "Liverpool, United Kingdom"),
    ("University of Cape Town", "Cape Town, South Africa"), ("Aarhus Universitet", "Aarhus, Denmark"),
)

GENES = ("TERT", "BRCA1", "TP53", "KRAS", "EGFR", "NOG", "PSEN1", "APOE", "MTHFR", "FTO", "HLA-B", "CFTR", "JAK2")
SPECIES = ("Klebsiella pneumoniae", "Escherichia coli", "Zea mays", "Arabidopsis thaliana", "Mus musculus",
           "Staphylococcus aureus", "Pseudomonas aeruginosa", "Drosophila melanogaster", "Plasmodium falciparum")
FORMULAS: tuple[tuple[tuple[str | None, str], ...], ...] = (  # inline chemistry with sub/sup markup
    ((None, "SnO"), ("sub", "2")), ((None, "Li"), ("sub", "2"), (None, "MgGeO"), ("sub", "4")),
    ((None, "Mn"), ("sup", "2+")), ((None, "CO"), ("sub", "2")), ((None, "Ca"), ("sup", "2+")),
    (("sup", "13"), (None, "C")), (("sup", "18"), (None, "F-FDG")), ((None, "H"), ("sub", "2"), (None, "O"),
                                                                     ("sub", "2")),
)
MATHML = ('<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msubsup><mml:mi>T</mml:mi> '
          '<mml:mn>2</mml:mn> <mml:mo>∗</mml:mo></mml:msubsup> </mml:math>')
"""MathML as in biopython_pubmed7 and the 21n1298 excerpt; the reader keeps its text."""

VERNACULAR = {  # language: (title words for a VernacularTitle, in that script)
    "chi": ("产后访视能力的研究进展", "慢性阻塞性肺疾病患者的康复治疗", "中医药治疗膝骨关节炎的临床研究"),
    "jpn": ("高齢者における筋骨格系症状の検討", "急性冠症候群の性差について"),
    "ger": ("Therapie der rheumatoiden Arthritis: Übersicht", "Früherkennung des Pankreaskarzinoms"),
    "fre": ("Prise en charge de l'hémoptysie massive", "Évaluation des soins intensifs néonatals"),
    "spa": ("Resistencia a los antimicrobianos en América Latina", "Enfermedad cardiovascular en la mujer"),
    "por": ("Doença cardiovascular na mulher", "Função tireoidiana na pós-menopausa"),
    "rus": ("Диагностика пахихориоидальных заболеваний", "Лечение глаукомы у пожилых пациентов"),
    "cze": ("Léčba chronické obstrukční plicní nemoci", "Diagnostika a léčba diabetu 2. typu"),
}

STUDY_WORDS = ("cohort study", "case-control study", "randomized controlled trial", "cross-sectional study",
               "systematic review and meta-analysis", "retrospective analysis", "prospective multicentre study",
               "case report", "pilot study", "Mendelian randomization study")
POPULATIONS = ("adults", "older adults", "children", "postmenopausal women", "critically ill patients",
               "patients with type 2 diabetes", "healthy volunteers", "mice", "neonates", "pregnant women",
               "U.S. Chinese older women", "veterans", "adolescents")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# MeSH ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Descriptor:
    """A real MeSH descriptor from rdfgen's bundled table."""

    ui: str
    label: str
    entry_terms: tuple[str, ...]
    trees: str


@dataclass(frozen=True)
class Mesh:
    """Descriptors by use: headings (topical, Zipf-weighted), check tags, chemicals and words for text."""

    headings: tuple[Descriptor, ...]
    heading_weights: tuple[float, ...]
    check_tags: tuple[tuple[Descriptor, float], ...]
    chemicals: tuple[Descriptor, ...]
    diseases: tuple[str, ...]
    anatomy: tuple[str, ...]
    processes: tuple[str, ...]
    techniques: tuple[str, ...]
    drugs: tuple[str, ...]


CHECK_TAGS = (("Humans", 0.72), ("Female", 0.45), ("Male", 0.43), ("Adult", 0.3), ("Middle Aged", 0.28),
              ("Aged", 0.22), ("Animals", 0.18), ("Young Adult", 0.12), ("Adolescent", 0.1), ("Child", 0.08),
              ("Mice", 0.07), ("Retrospective Studies", 0.1), ("Treatment Outcome", 0.08), ("Risk Factors", 0.08),
              ("Prospective Studies", 0.06), ("Infant, Newborn", 0.04), ("Aged, 80 and over", 0.08),
              ("Cross-Sectional Studies", 0.05), ("Rats", 0.03), ("China", 0.03))
"""Check tags and very common headings with the share of indexed articles carrying them (MEDLINE-wide figures are
of this order: Humans ~70%, Female/Male ~45%)."""


@functools.cache
def load_mesh(path: Path = MESH_TABLE) -> Mesh:
    """Read the bundled MeSH table once; the heading pool is weighted 1/rank^0.9 over a fixed shuffle, so a few
    hundred descriptors recur often and most of the 30,000 appear rarely, as in MEDLINE."""
    rows: list[Descriptor] = []
    with gzip.open(path, "rt", encoding="utf-8") as table:
        for line in table:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or not parts[3]:
                continue
            entry = tuple(t for t in parts[2].split("|") if t)
            rows.append(Descriptor(parts[0], parts[1], entry, parts[3]))
    by_label = {d.label: d for d in rows}
    tags = tuple((by_label[name], share) for name, share in CHECK_TAGS if name in by_label)
    tag_uis = {d.ui for d, _ in tags}
    topical = [d for d in rows if d.trees[0] in "ABCDEFGIJKLMN" and d.ui not in tag_uis]
    random.Random(20240501).shuffle(topical)
    weights = tuple(1.0 / (rank + 10) ** 0.9 for rank in range(len(topical)))

    def words(letters: str, limit: int = 4000) -> tuple[str, ...]:
        """Short, uninverted labels of some tree branches: they read as running text."""
        found = [d.label for d in rows if d.trees[0] in letters and "," not in d.label and len(d.label) < 40]
        return tuple(found[:limit])

    return Mesh(
        headings=tuple(topical),
        heading_weights=tuple(_cumulative(weights)),
        check_tags=tags,
        chemicals=tuple(d for d in rows if d.trees.startswith("D") and "," not in d.label),
        diseases=words("C"),
        anatomy=words("A"),
        processes=words("G"),
        techniques=words("E"),
        drugs=words("D"),
    )


def _cumulative(weights: Sequence[float]) -> list[float]:
    """Cumulative weights, so rng.choices draws in O(log n) instead of summing 30,000 weights each time."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


# Rich text ----------------------------------------------------------------------------------------------------------

Segment = tuple[str | None, str]
"""A piece of mixed content: (None, text), (tag, text) for i/b/sub/sup, or ("math", raw MathML markup)."""


def escape(text: str) -> str:
    """XML text escaping: &, <, > (every generated & and < must reach the file as an entity)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def render(segments: Sequence[Segment]) -> str:
    """Mixed content as XML: text escaped, markup tags around their text, MathML copied as it is."""
    out = []
    for tag, text in segments:
        if tag is None:
            out.append(escape(text))
        elif tag == "math":
            out.append(text)
        else:
            out.append(f"<{tag}>{escape(text)}</{tag}>")
    return "".join(out)


def plain(segments: Sequence[Segment]) -> str:
    return "".join(text for tag, text in segments if tag != "math")


def _lower(label: str) -> str:
    """A MeSH label in running text: words (and hyphenated parts) lower-cased except acronyms, names with inner
    capitals and anything with digits (DNA, mRNA, HLA-B27)."""
    def word(part: str) -> str:
        return part if any(c.isupper() for c in part[1:]) or any(c.isdigit() for c in part) else part.lower()

    return " ".join("-".join(word(part) for part in w.split("-")) for w in label.split())


# The XML writer ------------------------------------------------------------------------------------------------------


class Writer:
    """Indented XML lines (two spaces a level, as in the baseline files); strings, because building 20,000 records
    as lxml trees costs more than the parse this benchmark measures."""

    def __init__(self, level: int = 1) -> None:
        self.lines: list[str] = []
        self.level = level

    def open(self, tag: str, **attrs: str | None) -> None:
        self.lines.append(f"{'  ' * self.level}<{tag}{_attrs(attrs)}>")
        self.level += 1

    def close(self, tag: str) -> None:
        self.level -= 1
        self.lines.append(f"{'  ' * self.level}</{tag}>")

    def leaf(self, tag: str, text: str | int, **attrs: str | None) -> None:
        """An element with plain text (escaped here)."""
        self.lines.append(f"{'  ' * self.level}<{tag}{_attrs(attrs)}>{escape(str(text))}</{tag}>")

    def rich(self, tag: str, segments: Sequence[Segment], **attrs: str | None) -> None:
        """An element with mixed content (i, b, sub, sup, MathML)."""
        self.lines.append(f"{'  ' * self.level}<{tag}{_attrs(attrs)}>{render(segments)}</{tag}>")

    def date(self, tag: str, year: int, month: int | str | None = None, day: int | None = None,
             **attrs: str | None) -> None:
        self.open(tag, **attrs)
        self.leaf("Year", year)
        if month is not None:
            self.leaf("Month", month)
        if day is not None:
            self.leaf("Day", day)
        self.close(tag)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(f' {k}="{escape_attr(v)}"' for k, v in attrs.items() if v is not None)


# Distributions ------------------------------------------------------------------------------------------------------


def lognormal_count(rng: random.Random, mean: float, sigma: float, low: int, high: int) -> int:
    """A count with the given mean and a right tail (author lists, reference lists): lognormal, rounded, clipped."""
    mu = math.log(mean) - sigma * sigma / 2
    return max(low, min(high, round(rng.lognormvariate(mu, sigma))))


def weighted(rng: random.Random, pairs: Sequence[tuple[object, int]]) -> object:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def orcid(rng: random.Random) -> str:
    """A valid ORCID (ISO 7064 MOD 11-2 check digit, as rdfgen checks), in one of the spellings PubMed carries."""
    block = rng.choice(("0000-0001", "0000-0002", "0000-0003", "0009-000"))  # the ranges ORCID issues from
    base = block.replace("-", "") + "".join(str(rng.randrange(10)) for _ in range(15 - len(block) + 1))
    total = 0
    for char in base:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    hyphenated = "-".join(digits[i:i + 4] for i in range(0, 16, 4))
    style = rng.random()
    if style < 0.7:
        return hyphenated
    if style < 0.85:
        return "https://orcid.org/" + hyphenated
    if style < 0.93:
        return "http://orcid.org/" + hyphenated
    if style < 0.995:
        return digits
    return hyphenated[:-1]  # malformed, as one in the 21n1298 excerpt: rdfgen drops it with a note


def doi_for(rng_or_key: random.Random | int, prefix: int | None = None) -> str:
    """A DOI of the shapes seen in the fixtures (10.1136/bcr-2019-229391, 10.1007/s10554-021-02227-x, ...).
    Given a PMID instead of a random stream, the same PMID always gets the same DOI (cited works recur)."""
    rng = rng_or_key if isinstance(rng_or_key, random.Random) else random.Random(rng_or_key)
    prefix = prefix or rng.choice((1136, 1007, 1016, 1177, 1128, 1038, 1093, 1371, 3389, 1056, 1161, 1097, 36660))
    style = rng.randrange(4)
    if style == 0:
        return f"10.{prefix}/s{rng.randrange(10000, 99999)}-0{rng.randrange(10, 25)}-{rng.randrange(10000, 99999)}-x"
    if style == 1:
        return f"10.{prefix}/j.{rng.choice(('jams', 'sbi', 'cell', 'jacc'))}.20{rng.randrange(10, 25)}.{rng.randrange(1, 12):02d}.{rng.randrange(1, 999):03d}"  # noqa: E501
    if style == 2:
        return f"10.{prefix}/journal.pone.{rng.randrange(100000, 999999):07d}"
    return f"10.{prefix}/{rng.choice(('bcr', 'gutjnl', 'jb', 'aac', 'abc'))}.{rng.randrange(2000, 2025)}.{rng.randrange(10**5, 10**6)}"  # noqa: E501


# One record ---------------------------------------------------------------------------------------------------------


@dataclass
class Context:
    """What every record draws from: the MeSH pools and the popular cited PMIDs of this seed."""

    mesh: Mesh
    popular: tuple[int, ...]
    seed: int


def make_context(seed: int) -> Context:
    """Pools built once per file; independent of n, so a subset file's records equal the big file's first ones."""
    rng = random.Random(f"rdfgen-bench-pool:{seed}")
    popular = tuple(rng.randrange(1_000_000, 38_000_000) for _ in range(3000))
    return Context(load_mesh(), popular, seed)


def article_xml(ctx: Context, index: int, pmid: int) -> str:
    """The index-th record of the file as a ``<PubmedArticle>`` element (its own random stream)."""
    rng = random.Random(f"rdfgen-bench:{ctx.seed}:{index}")
    status, pub_status, pub_model = weighted(rng, STATUSES)  # type: ignore[misc]
    medline = status == "MEDLINE"
    year = rng.choices(range(1995, 2026), weights=[1 + (y - 1995) ** 1.5 for y in range(1995, 2026)])[0]
    language = "eng" if rng.random() < 0.9 else rng.choice(tuple(VERNACULAR))
    journal = rng.choice(JOURNALS)
    w = Writer(level=1)
    w.open("PubmedArticle")
    w.open("MedlineCitation", Status=status, Owner="NLM")
    w.leaf("PMID", pmid, Version="1")
    completed = min(year + rng.randrange(2), 2025)
    if medline:
        w.date("DateCompleted", completed, f"{rng.randrange(1, 13):02d}", _day(rng))
    w.date("DateRevised", min(completed + rng.randrange(3), 2025), f"{rng.randrange(1, 13):02d}", _day(rng))
    title = _title(rng, ctx.mesh)
    doi, collective = _article(w, rng, ctx, year, language, journal, pub_model, title)
    w.open("MedlineJournalInfo")
    w.leaf("Country", journal[5])
    w.leaf("MedlineTA", journal[1].replace(".", ""))
    w.leaf("NlmUniqueID", journal[4])
    w.leaf("ISSNLinking", journal[6])
    w.close("MedlineJournalInfo")
    if medline and rng.random() < 0.35:
        _chemicals(w, rng, ctx.mesh)
    if medline:
        w.leaf("CitationSubset", "IM")
    if rng.random() < 0.12:
        _comments_corrections(w, rng, ctx)
    if medline:
        _mesh_headings(w, rng, ctx.mesh)
    if language != "eng" and rng.random() < 0.3:
        _other_abstract(w, rng, language)
    if rng.random() < 0.45:
        _keywords(w, rng, ctx.mesh)
    if rng.random() < 0.2:
        w.leaf("CoiStatement", rng.choice(COI_STATEMENTS))
    if collective and rng.random() < 0.4:
        _investigators(w, rng)
    w.close("MedlineCitation")
    _pubmed_data(w, rng, ctx, pmid, doi, year, pub_status)
    w.close("PubmedArticle")
    return w.text()


def _day(rng: random.Random) -> str:
    return f"{rng.randrange(1, 29):02d}"


def _title(rng: random.Random, mesh: Mesh) -> list[Segment]:
    """An article title in the fixtures' styles, sometimes with italics (genes, species), formulas, Greek letters,
    an ampersand or MathML."""
    disease, organ = _lower(rng.choice(mesh.diseases)), _lower(rng.choice(mesh.anatomy))
    drug, process = _lower(rng.choice(mesh.drugs)), _lower(rng.choice(mesh.processes))
    roll = rng.random()
    if roll < 0.08:
        return [(None, "Leucocyte telomere length, genetic variants at the "), ("i", rng.choice(GENES)),
                (None, f" gene region and risk of {disease}.")]
    if roll < 0.14:
        return [(None, f"{process.capitalize()} by "), ("i", rng.choice(SPECIES)), (None, f" in {organ}.")]
    if roll < 0.18:
        formula = rng.choice(FORMULAS)
        return [(None, "Doped "), *formula, (None, f" thin films for {process} at low temperature.")]
    if roll < 0.19:
        return [(None, "Cardiac "), ("math", MATHML), (None, f" measurement of {drug} metabolites.")]
    if roll < 0.2:
        return [(None, "Fine-tuning heavy-atom-free "), ("b", "BODIPY"), (None, f" photosensitizers for {process}.")]
    if roll < 0.24:
        return [(None, f"TNF-α and IL-1β in {disease}: {drug} & {process} (≥ 65 years).")]
    templates = (
        f"{drug.capitalize()} in patients with {disease}: a {rng.choice(STUDY_WORDS)}.",
        f"Association between {process} and {disease} in {rng.choice(POPULATIONS)}.",
        f"Effect of {drug} on {organ} {process} in {rng.choice(POPULATIONS)}: a randomized controlled trial.",
        f"{disease.capitalize()} of the {organ}: importance of early diagnosis.",
        f"{drug.capitalize()} versus placebo for {disease}: a {rng.choice(STUDY_WORDS)}.",
        f"Role of {process} in {disease}.",
    )
    return [(None, rng.choice(templates))]


def _article(w: Writer, rng: random.Random, ctx: Context, year: int, language: str,
             journal: tuple[str, ...], pub_model: str, title: list[Segment]) -> tuple[str | None, bool]:
    """MedlineCitation/Article: journal issue and date, title, pages, ids, abstract, authors, types, grants.
    Returns the DOI (PubmedData's ArticleIdList repeats it) and whether a collective author signed."""
    w.open("Article", PubModel=pub_model)
    w.open("Journal")
    w.leaf("ISSN", journal[3], IssnType=journal[2])
    w.open("JournalIssue", CitedMedium="Internet" if journal[2] == "Electronic" else "Print")
    volume = max(1, year - 1960 + rng.randrange(-30, 30))
    w.leaf("Volume", volume)
    if rng.random() < 0.85:
        w.leaf("Issue", rng.choice((str(rng.randrange(1, 25)), f"{rng.randrange(1, 12)} Suppl 1", "sup1")))
    _pub_date(w, rng, year)
    w.close("JournalIssue")
    w.leaf("Title", journal[0])
    w.leaf("ISOAbbreviation", journal[1])
    w.close("Journal")
    if language != "eng" and rng.random() < 0.5:
        title = [(None, "["), *title[:-1], (None, title[-1][1].rstrip(".")), (None, "].")]
    w.rich("ArticleTitle", title)
    start = rng.randrange(1, 3000)
    end = start + rng.randrange(1, 20)
    w.open("Pagination")
    roll = rng.random()
    if roll < 0.15:
        w.leaf("MedlinePgn", f"e{rng.randrange(10**6, 10**7):07d}")
    elif roll < 0.6:
        w.leaf("MedlinePgn", page_range(start, end))
    else:
        w.leaf("StartPage", start)
        w.leaf("EndPage", end)
        w.leaf("MedlinePgn", f"{start}-{end}")
    w.close("Pagination")
    doi = doi_for(rng) if rng.random() < 0.87 else None
    if doi:
        w.leaf("ELocationID", doi, EIdType="doi", ValidYN="Y")
    if rng.random() < 0.85:
        _abstract(w, rng, ctx.mesh, year)
    collective = _authors(w, rng, ctx)
    w.leaf("Language", language)
    if language != "eng" and rng.random() < 0.3:
        w.leaf("Language", "eng")
    if rng.random() < 0.04:
        _databanks(w, rng)
    if rng.random() < 0.2:
        _grants(w, rng)
    _publication_types(w, rng, language)
    if language != "eng":
        w.leaf("VernacularTitle", rng.choice(VERNACULAR[language]) + ".")
    if pub_model != "Print":
        w.date("ArticleDate", year, f"{rng.randrange(1, 13):02d}", _day(rng), DateType="Electronic")
    w.close("Article")
    return doi, collective


def page_range(start: int, end: int) -> str:
    """MEDLINE's abbreviated range: the end drops the leading digits it shares with the start ("739-48")."""
    first, last = str(start), str(end)
    if len(first) == len(last):
        shared = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), len(first) - 1)
        last = last[shared:]
    return f"{first}-{last}"


def _pub_date(w: Writer, rng: random.Random, year: int) -> None:
    """Year Mon Day mostly; Year Mon; Season; and MedlineDate spellings from the fixtures (about 5%)."""
    roll = rng.random()
    w.open("PubDate")
    if roll < 0.05:
        w.leaf("MedlineDate", rng.choice(MEDLINE_DATES).format(y=year, y1=year + 1))
    elif roll < 0.06:
        w.leaf("Year", year)
        w.leaf("Season", rng.choice(("Spring", "Summer", "Fall", "Winter")))
    else:
        w.leaf("Year", year)
        if roll < 0.97:
            w.leaf("Month", rng.choice(MONTHS))
            if roll < 0.55:
                w.leaf("Day", _day(rng))
    w.close("PubDate")


def _sentence(rng: random.Random, mesh: Mesh, year: int) -> list[Segment]:
    """One abstract sentence: biomedical terms from MeSH, numbers, statistics with < and ±, Greek letters, and now
    and then italics, sub/superscripts or an ampersand."""
    disease, organ = _lower(rng.choice(mesh.diseases)), _lower(rng.choice(mesh.anatomy))
    drug, process = _lower(rng.choice(mesh.drugs)), _lower(rng.choice(mesh.processes))
    technique = _lower(rng.choice(mesh.techniques))
    n, p = rng.randrange(12, 20000), rng.choice(("0.001", "0.01", "0.05", "0.0001"))
    m1, m2 = rng.uniform(1, 100), rng.uniform(1, 100)
    roll = rng.random()
    if roll < 0.05:
        return [(None, "Resistance was mediated by "), ("i", rng.choice(SPECIES)), (None, " strains carrying "),
                ("i", f"bla{rng.choice(('KPC', 'NDM', 'OXA-48', 'VIM'))}"), (None, f" in {n} isolates. ")]
    if roll < 0.09:
        formula = rng.choice(FORMULAS)
        return [(None, f"Levels of {drug} and "), *formula, (None, f" increased {m1:.1f}-fold (p < {p}). ")]
    if roll < 0.092:
        return [(None, "Fluorescence of heavy-atom-free "), ("b", "BODIPY"), (None, f" rose {m2:.0f}% in {organ}. ")]
    if roll < 0.094:
        return [(None, "The relaxation time "), ("math", MATHML), (None, f" was {m1:.1f} ms in the {organ}. ")]
    sentences = (
        f"A total of {n:,} {rng.choice(POPULATIONS)} were enrolled between {year - 5} and {year - 1}. ",
        f"We assessed {process} in the {organ} using {technique}. ",
        f"{drug.capitalize()} reduced {disease} compared with placebo ({m1:.1f} ± {m1 / 7:.1f} vs. "
        f"{m2:.1f} ± {m2 / 6:.1f}; p < {p}). ",
        f"The hazard ratio for {disease} was {m1 / 40:.2f} (95% CI {m1 / 60:.2f}–{m1 / 30:.2f}). ",
        f"TNF-α and IL-1β levels were ≥ {m2:.0f} pg/mL in {rng.randrange(2, 90)}% of patients with {disease}. ",
        f"These findings suggest that {process} contributes to {disease} & {_lower(rng.choice(mesh.diseases))}. ",
        f"{technique.capitalize()} detected {organ} involvement at {m1:.1f} µg/mL after {rng.randrange(2, 48)} h "
        f"at 37 °C. ",
        f"Our results support the use of {drug} in {rng.choice(POPULATIONS)} with {disease}. ",
    )
    return [(None, rng.choice(sentences))]


def _paragraph(rng: random.Random, mesh: Mesh, year: int, length: int) -> list[Segment]:
    segments: list[Segment] = []
    size = 0
    while size < length:
        sentence = _sentence(rng, mesh, year)
        segments += sentence
        size += len(plain(sentence))
    last_tag, last_text = segments[-1]
    segments[-1] = (last_tag, last_text.rstrip()) if last_tag is None else segments[-1]
    return segments


def _abstract(w: Writer, rng: random.Random, mesh: Mesh, year: int) -> None:
    """An abstract of about 1,350 characters (lognormal, as measured), structured in about 30% of records, with a
    copyright line now and then."""
    length = lognormal_count(rng, 1270, 0.4, 150, 6000)
    w.open("Abstract")
    if rng.random() < 0.3:
        labels = rng.choice(ABSTRACT_LABELS)
        for label, category in labels:
            w.rich("AbstractText", _paragraph(rng, mesh, year, length // len(labels)), Label=label,
                   NlmCategory=category)
    else:
        w.rich("AbstractText", _paragraph(rng, mesh, year, length))
    if rng.random() < 0.15:
        w.leaf("CopyrightInformation", f"© {year} The Author(s). Published by Elsevier B.V. & John Wiley <Sons>.")
    w.close("Abstract")


def _person(rng: random.Random) -> tuple[str, str, str]:
    given = rng.choice(GIVEN_NAMES)
    initials = "".join(part[0] for part in re.split(r"[\s-]+", given) if part).upper()
    return rng.choice(LAST_NAMES), given, initials


def _authors(w: Writer, rng: random.Random, ctx: Context) -> bool:
    """Authors: about 6 an article with a long tail (mean as measured), shared affiliations, ORCIDs in a third of
    articles, EqualContrib now and then, a CollectiveName in some; 3% of articles have no AuthorList. Returns
    whether a collective signed (its members may follow as an InvestigatorList)."""
    if rng.random() < 0.03:
        return False
    count = lognormal_count(rng, 5.9, 0.75, 1, 400)
    if rng.random() < 0.005:
        count = rng.randrange(30, 150)
    with_orcid = rng.random() < 0.35
    with_affiliations = rng.random() < 0.88
    institutions = [_affiliation(rng) for _ in range(rng.randrange(1, 5))]
    collective_at = rng.randrange(count + 1) if rng.random() < 0.06 else -1
    w.open("AuthorList", CompleteYN="Y")
    for position in range(count):
        if position == collective_at:
            w.open("Author", ValidYN="Y")
            w.leaf("CollectiveName", rng.choice(COLLECTIVES))
            w.close("Author")
            continue
        last, given, initials = _person(rng)
        attrs: dict[str, str | None] = {"ValidYN": "Y"}
        if position < 2 and rng.random() < 0.05:
            attrs["EqualContrib"] = "Y"
        w.open("Author", **attrs)
        w.leaf("LastName", last)
        w.leaf("ForeName", given)
        w.leaf("Initials", initials)
        if rng.random() < 0.01:
            w.leaf("Suffix", rng.choice(SUFFIXES))
        if with_orcid and rng.random() < 0.5:
            w.leaf("Identifier", orcid(rng), Source="ORCID")
        if with_affiliations:
            for _ in range(rng.choices((1, 2, 3), weights=(80, 15, 5))[0]):
                w.open("AffiliationInfo")
                w.leaf("Affiliation", rng.choice(institutions))
                w.close("AffiliationInfo")
        w.close("Author")
    w.close("AuthorList")
    return collective_at >= 0


def _investigators(w: Writer, rng: random.Random) -> None:
    """A collective's members (as in the 21n1298 excerpt and metapub 7550356): people with names, some affiliated."""
    institutions = [_affiliation(rng) for _ in range(3)]
    w.open("InvestigatorList")
    for _ in range(rng.randrange(5, 80)):
        last, given, initials = _person(rng)
        w.open("Investigator", ValidYN="Y")
        w.leaf("LastName", last)
        w.leaf("ForeName", given)
        w.leaf("Initials", initials)
        if rng.random() < 0.3:
            w.open("AffiliationInfo")
            w.leaf("Affiliation", rng.choice(institutions))
            w.close("AffiliationInfo")
        w.close("Investigator")
    w.close("InvestigatorList")


def _databanks(w: Writer, rng: random.Random) -> None:
    """DataBankList: trial registrations and sequence accessions (2 of the 49 fixture records have one)."""
    w.open("DataBankList", CompleteYN="Y")
    name = rng.choice(("ClinicalTrials.gov", "GENBANK", "ISRCTN", "figshare"))
    w.open("DataBank")
    w.leaf("DataBankName", name)
    w.open("AccessionNumberList")
    for _ in range(rng.randrange(1, 4)):
        w.leaf("AccessionNumber", {"ClinicalTrials.gov": f"NCT0{rng.randrange(10**6, 10**7)}",
                                   "GENBANK": f"M{rng.randrange(10000, 99999)}",
                                   "ISRCTN": f"ISRCTN{rng.randrange(10**7, 10**8)}"}.get(
                                       name, f"10.6084/m9.figshare.{rng.randrange(10**6, 10**7)}"))
    w.close("AccessionNumberList")
    w.close("DataBank")
    w.close("DataBankList")


def _other_abstract(w: Writer, rng: random.Random, language: str) -> None:
    """A publisher's abstract in the article's own language (the CJK and Cyrillic text of metapub 40195673 and
    39731248)."""
    w.open("OtherAbstract", Type="Publisher", Language=language)
    w.leaf("AbstractText", "。".join(rng.choices(VERNACULAR[language], k=8)) if language in ("chi", "jpn")
           else ". ".join(rng.choices(VERNACULAR[language], k=8)) + ".")
    w.close("OtherAbstract")


def _affiliation(rng: random.Random) -> str:
    institution, place = rng.choice(INSTITUTIONS)
    text = f"{rng.choice(DEPARTMENTS)}, {institution}, {place}."
    if rng.random() < 0.1:
        text += f" Electronic address: {rng.choice(LAST_NAMES).lower().replace(' ', '')}@example.org."
    return text


def _grants(w: Writer, rng: random.Random) -> None:
    w.open("GrantList", CompleteYN="Y")
    for _ in range(lognormal_count(rng, 3.5, 0.7, 1, 40)):
        agency, country, acronym = rng.choice(GRANT_AGENCIES)
        w.open("Grant")
        if rng.random() < 0.9:
            code = acronym.rstrip("_") or "PI"
            w.leaf("GrantID", f"{rng.choice(('R01', 'U01', 'P41', 'K23', 'S10'))} {code}{rng.randrange(10**5, 10**6)}"
                   if country == "United States" else f"{code}{rng.randrange(10, 24)}/{rng.randrange(100, 99999):05d}")
        if acronym:
            w.leaf("Acronym", acronym)
        w.leaf("Agency", agency)
        w.leaf("Country", country)
        w.close("Grant")
    w.close("GrantList")


def _publication_types(w: Writer, rng: random.Random, language: str) -> None:
    """"Journal Article" plus 0-4 more (mean 1.7 types a record, as measured)."""
    types = [("D016428", "Journal Article")]
    for _ in range(rng.choices((0, 1, 2, 3), weights=(50, 32, 13, 5))[0]):
        extra = weighted(rng, PUBLICATION_TYPES)
        if extra not in types:
            types.append(extra)  # type: ignore[arg-type]
    if language != "eng" and rng.random() < 0.5 and ("D004740", "English Abstract") not in types:
        types.append(("D004740", "English Abstract"))
    w.open("PublicationTypeList")
    for ui, name in types:
        w.leaf("PublicationType", name, UI=ui)
    w.close("PublicationTypeList")


def _chemicals(w: Writer, rng: random.Random, mesh: Mesh) -> None:
    """Substances with real MeSH UIs; RegistryNumber "0" (PubMed's "none") for half, as in the fixtures."""
    w.open("ChemicalList")
    for descriptor in rng.sample(mesh.chemicals, lognormal_count(rng, 5, 0.6, 1, 30)):
        w.open("Chemical")
        roll = rng.random()
        number = ("0" if roll < 0.55 else f"{rng.randrange(50, 99999)}-{rng.randrange(10, 99)}-{rng.randrange(10)}"
                  if roll < 0.75 else f"EC {rng.randrange(1, 7)}.{rng.randrange(1, 12)}.{rng.randrange(1, 20)}."
                  f"{rng.randrange(1, 99)}" if roll < 0.85 else
                  "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(10)))
        w.leaf("RegistryNumber", number)
        w.leaf("NameOfSubstance", descriptor.label, UI=descriptor.ui)
        w.close("Chemical")
    w.close("ChemicalList")


def _comments_corrections(w: Writer, rng: random.Random, ctx: Context) -> None:
    w.open("CommentsCorrectionsList")
    for _ in range(lognormal_count(rng, 2.5, 0.7, 1, 30)):
        w.open("CommentsCorrections", RefType=rng.choice(("CommentIn", "CommentOn", "ErratumIn", "ErratumFor",
                                                          "UpdateOf", "RetractionIn", "Cites")))
        cited = rng.choice(ctx.popular)
        w.leaf("RefSource", _short_citation(rng, cited))
        w.leaf("PMID", cited, Version="1")
        w.close("CommentsCorrections")
    w.close("CommentsCorrectionsList")


def _mesh_headings(w: Writer, rng: random.Random, mesh: Mesh) -> None:
    """About 13 headings an indexed record (so ~10 an article): check tags by their MEDLINE shares, then topical
    descriptors (Zipf-weighted), sorted by name as PubMed lists them; about half carry qualifiers, ~15% are major."""
    count = lognormal_count(rng, 12.8, 0.4, 2, 45)
    chosen: dict[str, Descriptor] = {}
    for descriptor, share in mesh.check_tags:
        if rng.random() < share and len(chosen) < count - 1:
            chosen[descriptor.ui] = descriptor
    while len(chosen) < count:
        descriptor = rng.choices(mesh.headings, cum_weights=mesh.heading_weights)[0]
        chosen.setdefault(descriptor.ui, descriptor)
    w.open("MeshHeadingList")
    for descriptor in sorted(chosen.values(), key=lambda d: d.label):
        w.open("MeshHeading")
        is_tag = any(descriptor is d for d, _ in mesh.check_tags)
        w.leaf("DescriptorName", descriptor.label, UI=descriptor.ui,
               MajorTopicYN="Y" if not is_tag and rng.random() < 0.15 else "N",
               Type="Geographic" if descriptor.trees.startswith("Z") else None)
        if not is_tag and rng.random() < 0.5:
            picks = set(rng.choices(QUALIFIERS, cum_weights=QUALIFIER_WEIGHTS,
                                    k=rng.choices((1, 2, 3), weights=(60, 28, 12))[0]))
            for ui, name in sorted(picks, key=lambda q: q[1]):
                w.leaf("QualifierName", name, UI=ui, MajorTopicYN="Y" if rng.random() < 0.3 else "N")
        w.close("MeshHeading")
    w.close("MeshHeadingList")


def _keywords(w: Writer, rng: random.Random, mesh: Mesh) -> None:
    """Author keywords (Owner NOTNLM): real ones from the fixtures, MeSH labels and entry terms (which rdfgen links
    exactly) and free phrases (which send it to approximate matching)."""
    w.open("KeywordList", Owner="NOTNLM")
    seen: set[str] = set()
    for _ in range(lognormal_count(rng, 5.3, 0.35, 1, 20)):
        roll = rng.random()
        if roll < 0.45:
            keyword = rng.choice(KEYWORDS)
        elif roll < 0.8:
            descriptor = rng.choices(mesh.headings, cum_weights=mesh.heading_weights)[0]
            terms = [t for t in (descriptor.label, *descriptor.entry_terms) if ", " not in t] or [descriptor.label]
            keyword = _lower(rng.choice(terms)) if rng.random() < 0.7 else rng.choice(terms)
        else:
            keyword = f"{_lower(rng.choice(mesh.processes))} {rng.choice(('score', 'pathway', 'index', 'signalling'))}"
        if keyword.lower() not in seen:
            seen.add(keyword.lower())
            w.leaf("Keyword", keyword, MajorTopicYN="N")
    w.close("KeywordList")


def _pubmed_data(w: Writer, rng: random.Random, ctx: Context, pmid: int, doi: str | None, year: int,
                 pub_status: str) -> None:
    """History dates, publication status, ArticleIdList (doi ~87%, pii ~55%, pmc ~35%) and the reference list."""
    w.open("PubmedData")
    w.open("History")
    month = rng.randrange(1, 13)
    if rng.random() < 0.3:
        w.date("PubMedPubDate", year - 1, str(month), int(_day(rng)), PubStatus="received")
        if rng.random() < 0.5:
            w.date("PubMedPubDate", year, "1", int(_day(rng)), PubStatus="revised")
        w.date("PubMedPubDate", year, str(month), int(_day(rng)), PubStatus="accepted")
    for status in ("entrez", "pubmed", "medline"):
        w.open("PubMedPubDate", PubStatus=status)
        w.leaf("Year", year)
        w.leaf("Month", month)
        w.leaf("Day", int(_day(rng)))
        w.leaf("Hour", 6)
        w.leaf("Minute", 0)
        w.close("PubMedPubDate")
    w.close("History")
    w.leaf("PublicationStatus", pub_status)
    w.open("ArticleIdList")
    w.leaf("ArticleId", pmid, IdType="pubmed")
    if rng.random() < 0.55:
        w.leaf("ArticleId", rng.choice((f"S0039-6257({year % 100:02d}){rng.randrange(10000, 99999)}-1",
                                        f"{rng.randrange(1, 40)}/{rng.randrange(1, 12)}/e{rng.randrange(10**5, 10**6)}",
                                        f"d0sc0{rng.randrange(1000, 9999)}a")), IdType="pii")
    if doi:
        w.leaf("ArticleId", doi, IdType="doi")
    if rng.random() < 0.35:
        w.leaf("ArticleId", f"PMC{rng.randrange(10**6, 12 * 10**6)}", IdType="pmc")
    if rng.random() < 0.03:
        w.leaf("ArticleId", f"NIHMS{rng.randrange(10**5, 10**6)}", IdType="mid")
    w.close("ArticleIdList")
    if rng.random() < 0.74:
        _references(w, rng, ctx, year)
    w.close("PubmedData")


def _references(w: Writer, rng: random.Random, ctx: Context, year: int) -> None:
    """About 40 references a list (so ~30 an article), in PubMed's short style, full Vancouver style with the DOI in
    the text, or web/report style; ArticleIdList mixes as measured: doi+pmc+pubmed 33%, doi+pubmed 29%, pubmed 23%,
    none 11%, doi 4%. A fifth of cited PMIDs come from a shared pool, so popular works recur across records."""
    w.open("ReferenceList")
    for _ in range(lognormal_count(rng, 40, 0.65, 1, 600)):
        cited = rng.choice(ctx.popular) if rng.random() < 0.2 else rng.randrange(1_000_000, 38_000_000)
        ids = rng.choices((("doi", "pmc", "pubmed"), ("doi", "pubmed"), ("pubmed",), (), ("doi",)),
                          weights=(33, 29, 23, 11, 4))[0]
        doi = doi_for(cited)
        style = rng.random()
        if not ids and style < 0.5:
            text = (f"{rng.choice(('World Health Organization', 'Statista Inc', 'National Health Commission'))}. "
                    f"{_lower(rng.choice(ctx.mesh.diseases)).capitalize()} fact sheet [Internet]. Geneva: WHO; "
                    f"{year - 1}. [cited {year} {rng.choice(MONTHS)} {rng.randrange(1, 29)}]. Available from: "
                    f"https://www.who.int/news-room/fact-sheets/detail/{rng.randrange(1000, 9999)}?lang=en&region=all")
        elif style < 0.45:
            text = _short_citation(rng, cited)
        else:
            text = _vancouver(rng, ctx.mesh, year, doi if "doi" in ids and rng.random() < 0.8 else None)
        w.open("Reference")
        w.leaf("Citation", text)
        if ids:
            w.open("ArticleIdList")
            for kind in ids:
                value = {"doi": doi, "pmc": f"PMC{cited % 11_000_000 + 1_000_000}", "pubmed": cited}[kind]
                w.leaf("ArticleId", value, IdType=kind)
            w.close("ArticleIdList")
        w.close("Reference")
    w.close("ReferenceList")


def _short_citation(rng: random.Random, cited: int) -> str:
    """PubMed's own reference text: "Nat Genet. 1999 Mar;21(3):302-4" (the 2019-2021 baseline style)."""
    crng = random.Random(cited)
    start = crng.randrange(1, 2000)
    return (f"{crng.choice(CITED_JOURNALS)}. {crng.randrange(1966, 2024)} {crng.choice(MONTHS)}"
            f"{' ' + str(crng.randrange(1, 29)) if crng.random() < 0.5 else ''};{crng.randrange(1, 400)}"
            f"({crng.randrange(1, 24)}):{page_range(start, start + crng.randrange(2, 15))}")


def _vancouver(rng: random.Random, mesh: Mesh, year: int, doi: str | None) -> str:
    """A full reference as publishers deposit it: authors (et al.), title, journal, year;vol(issue):pages, DOI."""
    names = [f"{last} {initials}" for last, _g, initials in (_person(rng) for _ in range(rng.randrange(1, 7)))]
    authors = ", ".join(names) + (", et al" if len(names) == 6 else "")
    title = f"{_lower(rng.choice(mesh.processes)).capitalize()} in {_lower(rng.choice(mesh.diseases))}"
    start = rng.randrange(1, 3000)
    text = (f"{authors}. {title}. {rng.choice(CITED_JOURNALS)}. {rng.randrange(1970, year + 1)};"
            f"{rng.randrange(1, 400)}({rng.randrange(1, 24)}):{start}–{start + rng.randrange(2, 30)}.")
    return f"{text} doi: {doi}." if doi else text


# The file -----------------------------------------------------------------------------------------------------------


def pmids(n: int, seed: int) -> Iterator[int]:
    """Increasing unique PMIDs (gaps of 1-5, as between a baseline file's records)."""
    pmid = FIRST_PMID
    for index in range(n):
        pmid += 1 + random.Random(f"rdfgen-bench-pmid:{seed}:{index}").randrange(5)
        yield pmid


def iter_records(n: int, seed: int = 0) -> Iterator[str]:
    """The n ``<PubmedArticle>`` elements of a file, as text, one at a time (flat memory at any n)."""
    ctx = make_context(seed)
    for index, pmid in enumerate(pmids(n, seed)):
        yield article_xml(ctx, index, pmid)


def deletion_xml(n: int, k: int, seed: int) -> str:
    """An update file's ``<DeleteCitation>``: k of the file's own PMIDs."""
    chosen = sorted(random.Random(f"rdfgen-bench-delete:{seed}").sample(list(pmids(n, seed)), min(k, n)))
    lines = ["  <DeleteCitation>", *(f'    <PMID Version="1">{p}</PMID>' for p in chosen), "  </DeleteCitation>"]
    return "\n".join(lines) + "\n"


def generate(n: int, path: Path, seed: int = 0, *, deletions: int = 0) -> None:
    """Write a gzipped PubmedArticleSet of n records to ``path``: same n and seed, same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=6) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n", write_through=False) as out:
        out.write(HEAD)
        for record in iter_records(n, seed):
            out.write(record)
        if deletions:
            out.write(deletion_xml(n, deletions, seed))
        out.write("</PubmedArticleSet>\n")


# Describing a file -------------------------------------------------------------------------------------------------

PROFILE_FIELDS = {  # name: (path under PubmedArticle, counted as)
    "authors": "MedlineCitation/Article/AuthorList/Author",
    "mesh_headings": "MedlineCitation/MeshHeadingList/MeshHeading",
    "references": "PubmedData/ReferenceList/Reference",
    "keywords": "MedlineCitation/KeywordList/Keyword",
    "abstract_sections": "MedlineCitation/Article/Abstract/AbstractText",
    "grants": "MedlineCitation/Article/GrantList/Grant",
    "chemicals": "MedlineCitation/ChemicalList/Chemical",
}


def describe(paths: Sequence[Path]) -> dict[str, float]:
    """Per-article means (and the share of articles that have any) of the fields the issue's profile names, for
    generated files or the real fixtures alike, so the two can be compared with one function."""
    from lxml import etree

    totals = dict.fromkeys(PROFILE_FIELDS, 0)
    having = dict.fromkeys(PROFILE_FIELDS, 0)
    articles = 0
    for path in paths:
        with open(path, "rb") as head:
            gzipped = head.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gzipped else open(path, "rb") as stream:
            for _event, element in etree.iterparse(stream, tag="PubmedArticle", resolve_entities=False,
                                                   no_network=True, load_dtd=False):
                articles += 1
                for name, path_in in PROFILE_FIELDS.items():
                    found = len(element.findall(path_in))
                    totals[name] += found
                    having[name] += found > 0
                element.clear(keep_tail=True)
    out: dict[str, float] = {"articles": articles}
    for name in PROFILE_FIELDS:
        out[f"{name}_mean"] = totals[name] / articles if articles else 0.0
        out[f"{name}_share"] = having[name] / articles if articles else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", help="number of <PubmedArticle> records")
    parser.add_argument("out", type=Path, nargs="?", help="output file (gzip is written whatever the name)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deletions", type=int, default=0, metavar="K",
                        help="append a <DeleteCitation> of K of the generated PMIDs (as update files do)")
    parser.add_argument("--describe", type=Path, nargs="+", metavar="FILE",
                        help="print per-article means of authors, MeSH, references... of PubMed XML files instead")
    args = parser.parse_args()
    if args.describe:
        for key, value in describe(args.describe).items():
            print(f"{key:24} {value:10.2f}")
        return
    if args.n is None or args.out is None:
        parser.error("N and OUT are required (or --describe FILE...)")
    generate(args.n, args.out, args.seed, deletions=args.deletions)


if __name__ == "__main__":
    main()
