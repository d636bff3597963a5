"""Invented content for the demo site. Every name, place pairing and sentence here is made up."""

from __future__ import annotations

from typing import TypedDict

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - the published demo sign-in (README), synthetic accounts only

FIRST_NAMES = [
    "Amara", "Bennett", "Celia", "Dorian", "Elise", "Farid", "Greta", "Hollis", "Ines", "Jonah",
    "Kalani", "Lucien", "Mireille", "Nolan", "Odette", "Paxton", "Quinn", "Rosalind", "Soren", "Tamsin",
    "Umberto", "Vesna", "Wendell", "Ximena", "Yusuf", "Zelda", "Anselm", "Briony", "Cyrus", "Delphine",
    "Emrys", "Fenna",
]  # fmt: skip
LAST_NAMES = [
    "Ashgrove", "Brennet", "Castellane", "Dorrance", "Everleigh", "Fairbourne", "Gallowen", "Hartwell",
    "Ivanslee", "Jessop-Raine", "Kettering", "Lindqvale", "Marchetti-Boyd", "Northam", "Orlowen", "Pemberly",
    "Quarles", "Rothmere", "Silvane", "Thornbury", "Ullswater", "Vantongeren", "Westergaard", "Yarrowby",
    "Zellweg", "Abernathy-Cole", "Blackwood-Ruiz", "Crestfield", "Delacroix-Hale", "Emberton", "Falkner",
    "Greaves-Oduya",
]  # fmt: skip
# Post-nominals that fit each specialty: FACS (American College of Surgeons) for surgeons only, FAAD (American
# Academy of Dermatology) for dermatologists only.
CREDENTIALS = {
    "facial-plastic": ["MD, FACS", "MD", "DO, FACS"],
    "plastic": ["MD, FACS", "MD", "DO"],
    "oculoplastic": ["MD", "MD, FACS", "DO"],
    "dermatology": ["MD, FAAD", "DO, FAAD", "MD"],
    "ent-facial-nerve": ["MD, FACS", "MD, PhD", "DO"],
    "neurology": ["MD", "MD, PhD", "DO"],
    "physiatry": ["MD", "DO", "MD, MPH"],
}
PLACES = [
    ("Portland", "OR"), ("Denver", "CO"), ("Austin", "TX"), ("Raleigh", "NC"), ("Madison", "WI"),
    ("Tucson", "AZ"), ("Columbus", "OH"), ("Richmond", "VA"), ("Boise", "ID"), ("Omaha", "NE"),
    ("Albany", "NY"), ("Savannah", "GA"), ("Spokane", "WA"), ("Providence", "RI"), ("Ann Arbor", "MI"),
    ("St. Paul", "MN"), ("Sacramento", "CA"), ("Burlington", "VT"), ("Tampa", "FL"), ("Louisville", "KY"),
]  # fmt: skip

# A few demo doctors practise outside the US (by their index in the demo's doctor list, whose specialty the
# credentials fit: 20 dermatology, 23 neurology, 25 facial plastic, 26 ENT, 31 plastic; names stay the invented
# ones). Numbers are invented too ("DEMO-..."): no real register has them. Phone numbers are left out where the
# country has no range set aside for fiction.
INTERNATIONAL: dict[int, dict[str, str]] = {
    20: {"country": "CA", "practice_address": "210 Linden Avenue, Suite 400", "city": "Toronto", "state": "Ontario", "registration_country": "CA",
         "registration_number": "DEMO-CA-0021", "license_state": "Ontario", "credentials": "MD, FRCPC",
         "board_certification": "Royal College of Physicians and Surgeons of Canada, Dermatology",
         "practice_phone": "+1 416 555 0121", "languages": "English, French"},
    23: {"country": "DE", "practice_address": "Lindenstraße 24", "city": "Munich", "state": "Bavaria", "registration_country": "DE",
         "registration_number": "DEMO-DE-0024", "license_state": "Bavaria", "credentials": "MD",
         "board_certification": "Specialist in neurology (Facharzt für Neurologie)",
         "practice_phone": "", "languages": "German, English"},
    25: {"country": "AU", "practice_address": "Level 3, 26 Wattle Street", "city": "Melbourne", "state": "Victoria", "registration_country": "AU",
         "registration_number": "DEMO-AU-0026", "license_state": "", "credentials": "MBBS, FRACS",
         "board_certification": "Fellow of the Royal Australasian College of Surgeons (Otolaryngology - Head and Neck Surgery)",
         "practice_phone": "+61 3 5550 0126", "languages": "English, Greek"},
    26: {"country": "GB", "practice_address": "27 Hawthorn Road", "city": "Manchester", "state": "England", "registration_country": "GB",
         "registration_number": "DEMO-GB-0027", "license_state": "", "credentials": "MBChB, FRCS",
         "board_certification": "GMC Specialist Register: Otolaryngology",
         "practice_phone": "+44 161 496 0127", "languages": "English, Urdu"},
    31: {"country": "FR", "practice_address": "32 rue des Tilleuls", "city": "Lyon", "state": "Auvergne-Rhône-Alpes", "registration_country": "FR",
         "registration_number": "DEMO-FR-0032", "license_state": "", "credentials": "MD",
         "board_certification": "Specialist in plastic, reconstructive and aesthetic surgery (Conseil national de l'Ordre des médecins)",
         "practice_phone": "", "languages": "French, English"},
}  # fmt: skip

PATIENT_NAMES = [
    "Sam R.", "J.", "Marisol", "TJ", "Anon", "Kay", "Mo", "Lee W.", "Priya", "Dee", "Chris P.", "Bea",
    "Rafa", "Gwen", "Tomasz", "Hana", "Ollie", "Nia", "Viktor", "Ruth", "worried-mom", "Ari", "Jules", "Pat",
    "Ezra", "Fran", "Ines T.", "Kofi", "Lina", "Max",
]  # fmt: skip

# slug, name, description
TAGS = [
    ("facial-paralysis", "Facial paralysis", "Weakness or loss of movement on one or both sides of the face."),
    ("bells-palsy", "Bell's palsy", "Sudden one-sided facial weakness without another cause found."),
    ("synkinesis", "Synkinesis", "Unwanted linked movements after facial nerve recovery, such as the eye closing when smiling."),
    ("botox", "Botox", "Botulinum toxin injections, cosmetic and for synkinesis or spasm."),
    ("fillers", "Fillers", "Hyaluronic acid and other injectable fillers."),
    ("facelift", "Facelift", "Surgical lifting of the lower face and neck."),
    ("brow-lift", "Brow lift", "Raising a low or drooping brow, surgically or with injections."),
    ("eyelid-surgery", "Eyelid surgery", "Blepharoplasty, eyelid weights and other eyelid procedures."),
    ("asymmetry", "Facial asymmetry", "Differences between the two sides of the face at rest or in motion."),
    ("ramsay-hunt", "Ramsay Hunt syndrome", "Facial paralysis caused by shingles of the facial nerve."),
    ("facial-nerve-surgery", "Facial nerve surgery", "Repair, grafting and transfer of the facial nerve."),
    ("smile-reanimation", "Smile reanimation", "Nerve transfers and muscle transfers to restore a smile."),
    ("physical-therapy", "Facial physical therapy", "Neuromuscular retraining and exercises for the face."),
    ("dry-eye", "Dry eye and eye closure", "Protecting the eye when the lids do not close fully."),
    ("acoustic-neuroma", "Acoustic neuroma", "Facial nerve problems before and after vestibular schwannoma treatment."),
    ("scars", "Scars", "Healing and revision of facial scars."),
]

SIDES = ["left", "right"]
DURATIONS = ["three weeks", "six weeks", "two months", "four months", "six months", "nine months", "a year", "eighteen months", "two years", "five years"]  # fmt: skip

# Each topic: tags, title templates, body paragraphs (one picked per slot), answer headlines, answer paragraphs.
TOPICS: list[dict[str, list[str]]] = [
    {
        "tags": ["bells-palsy", "facial-paralysis"],
        "titles": [
            "My {side} side is still weak {duration} after Bell's palsy. Will it come back?",
            "Is it too late for treatment {duration} after Bell's palsy?",
            "Bell's palsy at {age}: what recovery is realistic after {duration}?",
            "Why does my Bell's palsy seem better in the morning than at night?",
        ],
        "bodies": [
            "It started suddenly on my {side} side. I was given a course of steroids within two days.",
            "I can raise my eyebrow a little now but my smile still pulls to the other side.",
            "My doctor said most people recover but I feel stuck and nobody has measured anything.",
            "I also have a strange taste on one side of my tongue and sounds feel too loud in that ear.",
            "Is there a test that shows whether the nerve is still recovering?",
        ],
        "headlines": [
            "Recovery can continue for months; track it with photos and see a facial nerve specialist",
            "Most Bell's palsy improves, but slow recovery deserves a specialist assessment",
            "Protect the eye first, then build a plan with facial retraining",
            "Stalled recovery has options, from retraining to targeted injections",
        ],
        "paragraphs": [
            "Most people with Bell's palsy see improvement within three weeks and many recover fully, but when movement is still limited after several months, recovery tends to be partial and the nerve may heal with some miswiring.",
            "An electrical test of the nerve (electroneurography or EMG) is most useful early on; later, a careful examination and standardised photos tell us more about where you are heading.",
            "Please make sure your eye stays moist: lubricating drops by day, ointment at night, and taping the lid if it does not close during sleep.",
            "A facial therapist trained in neuromuscular retraining can teach small, controlled movements in front of a mirror. Avoid forceful exercises and electrical stimulation, which can encourage synkinesis.",
            "If the smile stays weak beyond a year, there are surgical options, but they are planned around how much the nerve has recovered, so an assessment at a facial nerve centre is worthwhile.",
        ],
    },
    {
        "tags": ["synkinesis", "botox", "physical-therapy"],
        "titles": [
            "My {side} eye closes every time I smile. Is this synkinesis?",
            "Does Botox for synkinesis have to be repeated forever?",
            "Neck tightness and cheek spasms {duration} after facial palsy",
            "How do I find someone who injects Botox for synkinesis, not cosmetics?",
        ],
        "bodies": [
            "I had facial palsy {duration} ago. Now my {side} eye narrows when I eat or smile.",
            "My cheek feels tight all the time and my smile looks forced in photos.",
            "A local injector offered cosmetic Botox but did not seem to know about synkinesis.",
            "The tightness is worst at the end of the day and when I am tired.",
            "I have been doing exercises from a video but I am not sure they are right for me.",
        ],
        "headlines": [
            "That pattern is typical of synkinesis, and it responds well to combined treatment",
            "Small, precise doses of Botox plus retraining work best together",
            "Yes, injections usually repeat, but doses often go down over time",
            "Look for a facial nerve clinic rather than a cosmetic-only practice",
        ],
        "paragraphs": [
            "Synkinesis happens when regrowing nerve fibres reach the wrong muscles, so one movement triggers another, such as the eye narrowing when you smile.",
            "Botulinum toxin in small doses, placed in the overactive muscles (often around the eye, the chin and the platysma in the neck), relaxes the unwanted pull and can make the smile look freer.",
            "The effect lasts about three to four months. Many patients combine it with neuromuscular retraining so that over time less toxin is needed.",
            "Massage and stretching of the tight cheek muscles help with the sense of tension; a therapist can show you how to do them gently.",
            "For stubborn cases, a selective neurolysis or myectomy can be considered, but only after injections and therapy have been tried properly.",
        ],
    },
    {
        "tags": ["fillers", "asymmetry"],
        "titles": [
            "Can filler even out a smile that is uneven after facial palsy?",
            "Lip filler made my asymmetry worse. What now?",
            "How long does cheek filler last at {age}?",
            "Filler or fat grafting for a hollow {side} cheek?",
        ],
        "bodies": [
            "My {side} lip hangs lower and I feel self-conscious in photos.",
            "I had filler {duration} ago and now one side looks bigger than the other.",
            "I want something subtle; I do not want to look done.",
            "I bruise easily and I take a daily aspirin.",
            "Is there a risk in using filler if my nerve might still be recovering?",
        ],
        "headlines": [
            "Filler can help with balance at rest, but it will not restore movement",
            "Uneven filler can be dissolved; wait for swelling to settle before judging",
            "Conservative amounts and a symmetric plan give the most natural result",
            "Fat grafting lasts longer; filler is reversible. Your goals decide",
        ],
        "paragraphs": [
            "Hyaluronic acid filler can restore volume and improve how the two sides look at rest. It does not make a weak muscle move, so the difference may still show when you smile.",
            "If the result looks uneven, hyaluronidase can dissolve hyaluronic acid filler. Swelling can make one side look bigger for up to two weeks, so wait before deciding.",
            "Please tell your injector about aspirin or other blood thinners; do not stop a prescribed medicine without asking the doctor who prescribed it.",
            "Fat grafting uses your own tissue and can last years, but it needs a small procedure and some of the fat does not survive.",
            "Vascular occlusion is rare but serious. Choose an injector who knows facial anatomy and keeps hyaluronidase on hand.",
        ],
    },
    {
        "tags": ["facelift", "asymmetry"],
        "titles": [
            "One side of my face looks lower {duration} after my facelift",
            "Is a facelift an option with a partially paralysed face?",
            "Numb cheeks {duration} after a deep plane facelift: normal?",
            "Mini facelift or full facelift at {age}?",
        ],
        "bodies": [
            "The {side} side seems to sag more than the other and I worry something went wrong.",
            "I am {age} and the jowls bother me more than anything else.",
            "My surgeon says to wait but I would like a second opinion.",
            "The skin in front of my ear still feels numb.",
            "I had facial palsy in my twenties and the affected side has always looked heavier.",
        ],
        "headlines": [
            "Early asymmetry after a facelift is common and often settles with time",
            "A facelift can improve static asymmetry in facial paralysis when planned for it",
            "Numbness usually recovers over months; weakness needs a prompt check",
            "The right lift depends on your neck as much as your jowls",
        ],
        "paragraphs": [
            "Swelling is rarely symmetric in the first weeks. Most surgeons judge the result at three to six months.",
            "Numbness of the skin is expected because small sensory nerves are divided; it typically improves gradually over six to twelve months.",
            "Weakness of movement is different from numbness. If you cannot raise your brow or move your lip, tell your surgeon so they can check the facial nerve branches.",
            "In facial paralysis, a lift on the weaker side can be combined with static suspension to balance the face at rest.",
            "A mini lift addresses the jowls with a shorter scar; a full lift also treats the neck. Photos in your consultation help you compare.",
        ],
    },
    {
        "tags": ["brow-lift", "facial-paralysis"],
        "titles": [
            "My {side} brow droops over my eye after facial palsy",
            "Brow lift options when the forehead does not move",
            "Can Botox on the good side balance my brows?",
        ],
        "bodies": [
            "The heavy brow makes me look tired and it blocks my vision when I read.",
            "It has been {duration} and the forehead on that side never came back.",
            "I want to avoid a big scar if possible.",
            "People ask me if I am angry because of the difference.",
        ],
        "headlines": [
            "A direct or endoscopic brow lift can restore the position and the field of vision",
            "Treating the stronger side with small doses can improve balance",
            "After a year without forehead movement, surgery is reasonable",
        ],
        "paragraphs": [
            "When the forehead branch does not recover, the brow slowly descends. A brow lift on that side restores position and often improves vision.",
            "A direct brow lift hides the scar along the upper brow hairs and gives a reliable result; an endoscopic approach uses small incisions in the scalp.",
            "Small doses of botulinum toxin in the forehead of the stronger side reduce the mismatch, at the cost of some expression on that side.",
            "Your eye surface needs checking before any lift, because raising the brow can affect how the eyelid closes.",
        ],
    },
    {
        "tags": ["eyelid-surgery", "dry-eye"],
        "titles": [
            "Should I get an eyelid weight if my {side} eye will not close?",
            "Gold weight or platinum chain for eye closure?",
            "My eye waters all day {duration} after facial palsy",
            "Lower lid sagging after facial paralysis: surgery options?",
        ],
        "bodies": [
            "I use drops every hour and tape my eye at night but it is still red.",
            "My {side} lower lid has dropped and tears run down my cheek.",
            "I was told to wait for recovery but my eye is uncomfortable every day.",
            "I wear contact lenses and wonder whether that is still safe.",
        ],
        "headlines": [
            "Protecting the cornea comes first; a lid weight is a simple, reversible step",
            "Watering often means the eye is too dry, not too wet",
            "A lower lid tightening can fix the drooping and the tearing",
            "Platinum chains sit flatter, gold weights are well tested; both work",
        ],
        "paragraphs": [
            "When the lids do not close, the surface of the eye dries and can ulcerate. Constant redness or pain means you should see an eye doctor soon.",
            "An upper eyelid weight helps gravity close the lid. It is placed through a small incision and can be removed if the nerve recovers.",
            "Paradoxically, a dry eye waters more because the reflex tears spill over a lid that no longer pumps them away.",
            "A lateral canthal tightening or a lower lid sling lifts the lower lid back against the eye.",
            "Contact lenses can be risky on an eye that does not close; ask your eye doctor before wearing them.",
        ],
    },
    {
        "tags": ["ramsay-hunt", "facial-paralysis"],
        "titles": [
            "Ramsay Hunt syndrome {duration} ago and still no movement",
            "Hearing loss and facial paralysis from shingles: what next?",
            "Is recovery from Ramsay Hunt slower than from Bell's palsy?",
        ],
        "bodies": [
            "It began with ear pain and blisters, then my {side} face stopped moving.",
            "I got antivirals and steroids, but only after five days.",
            "I also have ringing in that ear and feel dizzy when I turn quickly.",
            "I am {age} and otherwise healthy.",
        ],
        "headlines": [
            "Ramsay Hunt recovery is often slower and less complete, so plan early",
            "See an ENT for the hearing and a facial nerve team for the face",
            "Nerve testing and a baseline assessment now will guide later choices",
        ],
        "paragraphs": [
            "Ramsay Hunt syndrome affects the facial nerve more severely than typical Bell's palsy, and recovery is often slower and less complete.",
            "Hearing loss and dizziness need their own assessment by an ear specialist with a hearing test.",
            "If there is no sign of recovery by about six months, it is worth discussing nerve transfer options, because muscles accept new nerve input only for a limited time.",
            "Meanwhile, eye protection and gentle facial therapy remain the foundation.",
        ],
    },
    {
        "tags": ["smile-reanimation", "facial-nerve-surgery"],
        "titles": [
            "Masseter nerve transfer vs cross-face nerve graft: which is better?",
            "Am I too old at {age} for a gracilis muscle transfer?",
            "How long until I can smile after a nerve transfer?",
            "Smile surgery {duration} ago and it only moves when I bite",
        ],
        "bodies": [
            "My face has been paralysed on the {side} side for {duration}.",
            "I have read about a spontaneous smile and want to know if it is realistic.",
            "The surgeon mentioned two stages and I am nervous about the time off work.",
            "I would like to know what I can realistically expect in the first year.",
        ],
        "headlines": [
            "Each approach trades strength against spontaneity",
            "Age alone is rarely the deciding factor; nerve and muscle timing are",
            "Expect movement after several months and a year of practice",
            "Biting to smile is expected at first and can become more natural with training",
        ],
        "paragraphs": [
            "A masseter (chewing) nerve transfer gives a strong smile, at first triggered by biting. A cross-face graft uses the healthy side's nerve and can produce a more spontaneous smile but is usually weaker.",
            "If the paralysis has lasted more than about two years, the original facial muscles usually cannot be reinnervated and a free muscle transfer such as the gracilis is considered.",
            "Movement typically starts four to six months after a nerve transfer and keeps improving for a year or more with retraining.",
            "Many patients learn to smile without consciously biting through practice with a facial therapist.",
        ],
    },
    {
        "tags": ["asymmetry", "physical-therapy"],
        "titles": [
            "Is some facial asymmetry normal, or should I worry?",
            "My smile became crooked over {duration}, with no other symptoms",
            "Can exercises fix an uneven face?",
        ],
        "bodies": [
            "I noticed in videos that my mouth pulls to the {side} more than before.",
            "Nobody else seems to notice but I cannot stop seeing it.",
            "I have no pain, no numbness and no trouble closing my eyes.",
            "Could this be from how I sleep or chew?",
        ],
        "headlines": [
            "Mild asymmetry is universal, but a new change deserves an examination",
            "A gradual change with no other symptoms is usually benign, but get it checked",
            "Exercises help weakness from nerve injury, less so bony or dental asymmetry",
        ],
        "paragraphs": [
            "Nobody's face is perfectly symmetric. Differences of a few millimetres between the two sides are normal and often noticed only in photos.",
            "A change that develops over weeks or months, even without pain, should be examined, because slowly growing lesions along the nerve are rare but important to find early.",
            "Sudden weakness with slurred speech or limb weakness is an emergency: call emergency services.",
            "Dental and jaw factors such as chewing on one side or a missing tooth can also change how the lower face looks.",
        ],
    },
    {
        "tags": ["acoustic-neuroma", "facial-nerve-surgery"],
        "titles": [
            "Facial weakness after acoustic neuroma surgery: will it recover?",
            "Facial nerve was cut during tumour surgery. What are my options?",
            "Should I wait or have surgery now, {duration} after tumour removal?",
        ],
        "bodies": [
            "My surgeon says the nerve was preserved but stretched.",
            "My {side} face has been completely still since the operation.",
            "I am tired of waiting and want to know if there is something I can do now.",
        ],
        "headlines": [
            "If the nerve is intact, recovery can take up to a year or more",
            "A divided nerve is best repaired early; timing matters",
            "Meanwhile, protect the eye and keep the muscles ready",
        ],
        "paragraphs": [
            "When the facial nerve is anatomically preserved, recovery may start late, sometimes after many months, and continue for over a year.",
            "If the nerve was divided, early repair or a nerve transfer gives the best chance of movement, ideally within the first year.",
            "Electromyography at a few months can show whether fibres are regrowing, which helps decide whether to wait.",
        ],
    },
    {
        "tags": ["botox", "asymmetry"],
        "titles": [
            "Botox made my smile crooked. How long will it last?",
            "Is it safe to get forehead Botox with a history of Bell's palsy?",
            "Botox for a gummy smile on one side only?",
        ],
        "bodies": [
            "I had injections {duration} ago and my {side} lip does not lift properly.",
            "My injector says it will wear off but I have an event coming up.",
            "I had Bell's palsy once, years ago, and recovered fully.",
        ],
        "headlines": [
            "Unwanted spread usually fades in six to twelve weeks",
            "A past, fully recovered Bell's palsy is not a reason to avoid Botox",
            "Careful, asymmetric dosing can balance a one-sided gummy smile",
        ],
        "paragraphs": [
            "When toxin affects a nearby lip elevator, the smile can look uneven. The effect is temporary and usually fades over six to twelve weeks.",
            "Sometimes a small dose on the other side balances things in the meantime; discuss it with an experienced injector.",
            "Tell your injector about any past facial palsy so they can document your baseline and plan doses for each side.",
        ],
    },
    {
        "tags": ["scars"],
        "titles": [
            "Red scar on my cheek {duration} after surgery: what helps?",
            "When can a facial scar be revised?",
            "Silicone gel or laser for a raised facial scar?",
        ],
        "bodies": [
            "The scar is raised and itchy, and it looks darker than my skin.",
            "I am {age} and had a skin cancer removed from the {side} cheek.",
            "I use sunscreen but I am not sure anything else is working.",
        ],
        "headlines": [
            "Scars keep remodelling for a year; silicone and sun protection help most",
            "Revision is usually considered after the scar has matured",
            "Raised scars respond to silicone, steroid injection and some lasers",
        ],
        "paragraphs": [
            "Scars are red and firm for months and keep softening for about a year. Silicone gel or sheets and strict sun protection help them settle.",
            "If a scar is raised and itchy, a small steroid injection can flatten it; vascular lasers help with redness.",
            "Surgical revision is usually planned after the scar has matured, often after twelve months.",
        ],
    },
]

CLOSINGS = [
    "Everyone's situation differs, so please see a specialist who can examine you in person.",
    "Bring dated photos and videos of your face at rest and in motion to your appointment; they help a lot.",
    "If anything changes suddenly, or you develop new weakness, seek care promptly.",
    "I hope this helps, and I wish you a good recovery.",
]

# -- treatments and reviews (consult.reviews) ---------------------------------------------------------
# slug, name, question tag, summary, description (paragraphs separated by blank lines), (low, high) cost in US
# dollars for the demo's reported costs, specialties whose doctors are reviewed for it. All text written for
# this demo; general information only.
class TreatmentSpec(TypedDict):
    slug: str
    name: str
    tag: str
    cost: tuple[int, int]
    specialties: list[str]
    summary: str
    description: str


TREATMENTS: list[TreatmentSpec] = [
    {
        "slug": "botox", "name": "Botox", "tag": "botox", "cost": (250, 900),
        "specialties": ["facial-plastic", "dermatology", "neurology", "oculoplastic", "physiatry"],
        "summary": "Small doses of botulinum toxin that relax chosen muscles, cosmetically or to calm synkinesis.",
        "description": (
            "Botulinum toxin blocks the signal from a nerve to the muscle it is injected into, so that muscle "
            "relaxes for roughly three to four months. Cosmetically it softens lines made by movement; after "
            "facial palsy it is used in tiny doses to quiet muscles that fire when they should not, such as "
            "the eye narrowing with every smile, or to weaken the strong side a little so both sides match.\n\n"
            "Results start after a few days and peak at about two weeks. Doses are adjusted visit by visit, "
            "so the first session is partly a test. Temporary side effects include bruising, a heavy brow or a "
            "slightly uneven smile when a neighbouring muscle is affected."
        ),
    },
    {
        "slug": "fillers", "name": "Dermal fillers", "tag": "fillers", "cost": (500, 1800),
        "specialties": ["facial-plastic", "dermatology", "plastic"],
        "summary": "Injected hyaluronic acid gels that restore volume and support, and can be dissolved if needed.",
        "description": (
            "Most facial fillers today are hyaluronic acid gels of different firmness. Soft gels smooth lips "
            "and fine folds; firmer ones give support over the cheekbone, jawline or chin. They last from six "
            "months to well over a year, depending on the product and the area.\n\n"
            "After facial palsy, fillers can lift a flat cheek or balance the lip on the weaker side. Because "
            "hyaluronic acid can be dissolved with an enzyme, results can be reversed. Swelling and bruising "
            "are common for a few days; injecting into a blood vessel is rare but serious, which is why "
            "anatomy and experience matter."
        ),
    },
    {
        "slug": "thread-lift", "name": "Thread lift", "tag": "facelift", "cost": (1500, 5000),
        "specialties": ["facial-plastic", "plastic", "dermatology"],
        "summary": "Dissolving barbed threads placed under the skin to lift a mild sag without a cut.",
        "description": (
            "A thread lift places absorbable sutures with small cones or barbs under the skin through a needle, "
            "then pulls the tissue gently upward. It suits a mild sag of the cheek or jowl in someone who does "
            "not want, or is not ready for, surgery.\n\n"
            "Recovery is quick, but the lift is modest and usually fades over one to two years as the threads "
            "dissolve. Dimpling or a palpable thread can occur early and usually settles."
        ),
    },
    {
        "slug": "facelift", "name": "Facelift", "tag": "facelift", "cost": (9000, 22000),
        "specialties": ["facial-plastic", "plastic"],
        "summary": "Surgery that repositions the deeper layer of the lower face and neck and removes loose skin.",
        "description": (
            "A modern facelift lifts the layer under the skin (the SMAS) rather than pulling on the skin alone, "
            "which gives a more natural and longer-lasting result. Incisions run around the ear and into the "
            "hairline.\n\n"
            "Most people look presentable after two to three weeks; swelling keeps settling for months. After "
            "facial paralysis a static lift on the weak side can be combined with other procedures to improve "
            "symmetry at rest."
        ),
    },
    {
        "slug": "facial-nerve-surgery", "name": "Facial nerve surgery", "tag": "facial-nerve-surgery",
        "cost": (15000, 45000), "specialties": ["ent-facial-nerve", "facial-plastic", "plastic"],
        "summary": "Nerve repair, grafts and transfers that bring movement back to a paralysed face.",
        "description": (
            "When the facial nerve is cut or has not recovered, a surgeon can join it directly, bridge a gap "
            "with a graft, or borrow a nearby nerve (for example the one to the chewing muscle) to power the "
            "face. Timing matters: the face muscles accept a new nerve best within the first year or two.\n\n"
            "Movement returns slowly, over months, and needs retraining with a therapist to look natural."
        ),
    },
    {
        "slug": "physical-therapy", "name": "Facial physical therapy and biofeedback", "tag": "physical-therapy",
        "cost": (300, 2400), "specialties": ["physiatry", "neurology", "ent-facial-nerve"],
        "summary": "Neuromuscular retraining with a therapist, often with a mirror or EMG biofeedback.",
        "description": (
            "Facial retraining teaches slow, controlled, symmetrical movement and how to relax muscles that "
            "pull against each other. Biofeedback (a mirror, video or surface EMG) shows the patient what the "
            "face is doing so they can change it.\n\n"
            "It is the foundation of synkinesis care and works well alongside Botox. Progress takes weeks of "
            "daily practice; a therapist adjusts the programme at each visit."
        ),
    },
    {
        "slug": "selective-neurectomy", "name": "Selective neurectomy", "tag": "synkinesis",
        "cost": (8000, 20000), "specialties": ["ent-facial-nerve", "facial-plastic"],
        "summary": "Cutting selected small branches of the facial nerve that drive synkinesis and a tight face.",
        "description": (
            "In selective neurectomy the surgeon maps the branches of the facial nerve with a stimulator and "
            "divides the ones that make unwanted, opposing movements (often those to the muscles that pull "
            "the mouth down or the neck tight), while keeping the branches that drive the smile.\n\n"
            "It is considered when synkinesis persists despite therapy and Botox. Botox may still be needed "
            "afterwards, often at lower doses."
        ),
    },
]

# (rating, worth_it) -> titles and bodies. Reviews are assembled from one title and two different sentences.
REVIEW_TITLES = {
    "worth-it": [
        "Careful, honest, and it helped", "Worth the drive", "Finally someone who listened",
        "Natural result, nobody can tell", "Clear plan from the first visit", "I smile in photos again",
        "Patient with all my questions", "Small changes, big difference",
    ],
    "not-sure": [
        "Good care, modest result", "Too early to say", "Helpful, but it wore off fast",
        "Kind doctor, long wait", "Some improvement, not what I hoped",
    ],
    "not-worth-it": [
        "Not for me", "Expensive for what I got", "Felt rushed", "Result did not last",
    ],
}
REVIEW_SENTENCES = {
    "worth-it": [
        "The doctor measured both sides of my face before planning anything and showed me the numbers.",
        "I was told honestly what would and would not change, and that is exactly how it turned out.",
        "My eye no longer closes every time I smile, which I had stopped believing was possible.",
        "Follow-up was easy to book and the dose was adjusted at the second visit.",
        "The staff explained the aftercare in writing, so I was never left guessing.",
        "Friends noticed I looked rested; nobody guessed I had anything done.",
        "We started small and built up, which made me trust the process.",
    ],
    "not-sure": [
        "The first weeks looked good, but by three months I was back to where I started.",
        "The doctor was thorough, though I waited almost an hour on both visits.",
        "There is some improvement at rest; my smile still pulls to one side.",
        "I think a second session would help, but I am unsure it is worth the cost.",
        "Everything was explained well; the result is subtle.",
    ],
    "not-worth-it": [
        "The appointment felt rushed and my questions were brushed aside.",
        "I paid for two sessions and saw very little change in the mirror or in my photos.",
        "My brow felt heavy for weeks afterwards and nobody warned me it could happen.",
        "The result faded much sooner than I was told it would.",
    ],
}
REVIEW_OPENINGS = [
    "I went in for {treatment} after months of reading about it.",
    "I had {treatment} on the weaker side of my face.",
    "My therapist suggested {treatment}, so I booked a consultation.",
    "This was my first time trying {treatment}.",
    "I chose {treatment} after comparing three clinics.",
]
REVIEW_REPLIES = [
    "Thank you for taking the time to write this. I am glad the plan worked for you.",
    "Thank you for the feedback. Please call the office so we can look at the result together.",
    "I appreciate you sharing your experience; we have changed how we schedule follow-up visits.",
]

# Doctor profiles: a bio opening and a focus per specialty, board certifications that fit it, practice names and
# languages. Combined per doctor, so no two bios read the same; all invented.
BIO_FOCUS = {
    "facial-plastic": ("Facial plastic and reconstructive surgeon", "facial reanimation, eyelid support after palsy and natural-looking lifts"),
    "plastic": ("Plastic surgeon", "reconstruction of the face after trauma and tumour surgery, and facelifts"),
    "oculoplastic": ("Oculoplastic surgeon", "eyelid closure, eyelid weights and brow position after facial nerve injury"),
    "dermatology": ("Dermatologist", "botulinum toxin for synkinesis and asymmetry, fillers and scar care"),
    "ent-facial-nerve": ("Otolaryngologist specialising in the facial nerve", "Bell's palsy, Ramsay Hunt syndrome, nerve grafts and transfers"),
    "neurology": ("Neurologist", "the diagnosis of facial weakness, nerve testing and chemodenervation for synkinesis"),
    "physiatry": ("Rehabilitation physician", "facial neuromuscular retraining with surface EMG biofeedback"),
}  # fmt: skip
BIO_DETAILS = [
    "Trained in {city} and has run a dedicated facial nerve clinic for over a decade.",
    "Works alongside a facial therapist so that treatment and retraining are planned together.",
    "Measures both sides of the face at every visit and shares the numbers with patients.",
    "Teaches residents and takes part in multidisciplinary facial palsy meetings.",
    "Sees many patients years after their palsy, when synkinesis is the main concern.",
    "Believes in starting with the least invasive option and reviewing progress with dated photos.",
]
BOARDS = {
    "facial-plastic": "American Board of Facial Plastic and Reconstructive Surgery",
    "plastic": "American Board of Plastic Surgery",
    "oculoplastic": "American Board of Ophthalmology",
    "dermatology": "American Board of Dermatology",
    "ent-facial-nerve": "American Board of Otolaryngology - Head and Neck Surgery",
    "neurology": "American Board of Psychiatry and Neurology",
    "physiatry": "American Board of Physical Medicine and Rehabilitation",
}
PRACTICE_WORDS = ["Facial Nerve Center", "Face and Eyelid Clinic", "Skin and Face Institute", "Facial Rehabilitation Group", "Head and Neck Associates"]  # fmt: skip
STREETS = ["Alder", "Birch", "Cedar", "Linden", "Maple", "Juniper", "Willow", "Hawthorn"]
LANGUAGE_SETS = ["English", "English, Spanish", "English", "English, French", "English, Mandarin", "English, Portuguese", "English, Arabic", "English, Vietnamese"]  # fmt: skip

# The case this product exists for, asked once and answered by several doctors in their own words.
class Case(TypedDict):
    tags: list[str]
    title: str
    age: int
    sex: str
    display_name: str
    body: str
    answers: list[tuple[str, str]]


CLASSIC_CASE: Case = {
    "tags": ["synkinesis", "facial-paralysis", "facelift", "botox"],
    "title": "32, facial paralysis five years ago: synkinesis spoiled my smile. Too young for a facelift?",
    "age": 32,
    "sex": "female",
    "display_name": "Maren",
    "body": (
        "Five years ago the left side of my face became paralysed. Most of the movement came back, but not "
        "the way it was: when I smile my left eye narrows and the corner of my mouth pulls sideways instead of "
        "up, so my smile looks crooked in every photo. The left cheek also sits a little lower than the right "
        "at rest.\n\n"
        "A surgeon I saw said a facelift would even out the sag but that at 32 I am too young for one. I would "
        "like to avoid surgery if I can. Are there non-surgical ways to lift the weak side and make the smile "
        "more even? What should I ask about?"
    ),
    "answers": [
        (
            "Treat the synkinesis first; most of the crookedness is muscles pulling against each other",
            "What you describe is classic synkinesis: after the nerve regrew, some fibres reached the wrong "
            "muscles, so the eye and the muscles that pull the mouth sideways and down fire together with the "
            "smile. The sag at rest is partly tight, overactive muscle rather than loose skin.\n\n"
            "For that reason a lift on its own rarely fixes the smile. The usual first steps are targeted "
            "retraining with a facial therapist and small doses of botulinum toxin into the muscles that "
            "fight the smile (often the depressor of the mouth corner, the platysma and the part of the eye "
            "muscle that narrows the eye). Many patients find the smile lifts once those muscles relax.",
        ),
        (
            "Non-surgical options exist, and age is not the real question",
            "I would not frame it as too young or old enough. What matters is which tissues cause the "
            "asymmetry. At 32 your skin is firm, so a classic facelift would change little at rest and "
            "nothing in motion.\n\n"
            "Non-surgical support for the weak cheek includes carefully placed hyaluronic acid filler over the "
            "cheekbone and, for a mild sag, absorbable threads; both are modest and temporary, and both work "
            "better once the synkinesis has been calmed. Ask whoever treats you to photograph and measure both "
            "sides at rest and smiling before and after each step, so you can see what actually helped.",
        ),
        (
            "Questions worth asking at your consultation",
            "Ask how much of your asymmetry is at rest and how much only appears when you smile; the answer "
            "decides the plan. Ask whether they work with a facial therapist, what dose of toxin they start "
            "with and how they adjust it, and what happens if the smile feels weaker for a few weeks.\n\n"
            "If the pulling persists despite therapy and injections, selective neurectomy, which divides only "
            "the nerve branches that oppose the smile, is a surgical option that does not involve lifting "
            "skin at all. It is worth knowing it exists even if you never need it.",
        ),
    ],
}
