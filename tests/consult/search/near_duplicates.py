"""A small labelled set of near-duplicate question titles (original, synthetic) for the ask page's suggestions.

Each cluster is one question asked five ways (the titles already on the site) and a sixth wording, the
title a new patient types. The distractors share the clusters' vocabulary (the same procedures and body
parts) but ask something else. A suggestion is relevant when it is from the typed title's own cluster.
"""

from __future__ import annotations

CLUSTERS: list[tuple[str, list[str]]] = [
    (
        "botox made my smile lopsided how long will it last",
        [
            "Botox made my smile crooked. How long will it last?",
            "Lopsided smile after Botox injections: when does it wear off?",
            "How long until a Botox droop in my smile goes away?",
            "My smile is uneven since Botox last month, how long does this last?",
            "Crooked smile from Botox — will it wear off and when?",
        ],
    ),
    (
        "cant close my eye fully after bells palsy",
        [
            "I cannot close my eye completely after Bell's palsy",
            "Eye will not shut all the way since Bell's palsy, what can help?",
            "Bell's palsy left my eyelid unable to close fully",
            "Incomplete eye closure after Bell's palsy: is it dangerous?",
            "My eye won't close properly three months after Bell's palsy",
        ],
    ),
    (
        "eye closes when i smile synkinesis",
        [
            "My eye closes every time I smile. Is this synkinesis?",
            "Eye narrows when I smile after facial palsy — synkinesis?",
            "Why does my eye shut when I smile since my palsy?",
            "Smiling makes my eye close on the affected side",
            "Is my eye closing when smiling a sign of synkinesis?",
        ],
    ),
    (
        "how much does lip filler cost and does it hurt",
        [
            "How much does lip filler cost, and is it painful?",
            "Lip filler price and pain: what to expect?",
            "Does getting lip filler hurt and what does it usually cost?",
            "Cost of lip fillers and how painful are the injections?",
            "Is lip filler painful and how much should I budget?",
        ],
    ),
    (
        "swelling 3 weeks after rhinoplasty normal",
        [
            "Is swelling three weeks after rhinoplasty normal?",
            "Still swollen 3 weeks after my nose job, should I worry?",
            "Nose swelling three weeks after rhinoplasty: when does it settle?",
            "How long does swelling last after rhinoplasty? I'm at week three",
            "Rhinoplasty swelling at 3 weeks, is that expected?",
        ],
    ),
    (
        "gold weight eyelid surgery recovery time",
        [
            "How long is recovery after gold weight eyelid surgery?",
            "Recovery time for an eyelid gold weight implant?",
            "Gold weight in the upper eyelid: how long to heal?",
            "What is recovery like after a gold eyelid weight?",
            "Eyelid weight surgery recovery: how many days off work?",
        ],
    ),
    (
        "will my face recover from ramsay hunt syndrome",
        [
            "Will my face recover after Ramsay Hunt syndrome?",
            "Chances of facial recovery from Ramsay Hunt syndrome?",
            "Ramsay Hunt left my face paralysed, will it come back?",
            "How likely is full recovery after Ramsay Hunt syndrome?",
            "Does facial paralysis from Ramsay Hunt syndrome get better?",
        ],
    ),
    (
        "masseter botox jaw slimming how many units",
        [
            "How many units of Botox for masseter jaw slimming?",
            "Masseter Botox for a slimmer jaw: how many units are typical?",
            "Jaw slimming with Botox in the masseters, what dose?",
            "Units needed for masseter Botox to slim the jawline?",
            "What dose of masseter Botox slims the face?",
        ],
    ),
    (
        "tear trough filler left lumps under eyes",
        [
            "Tear trough filler left lumps under my eyes",
            "Lumpy under-eye filler after tear trough treatment, what now?",
            "Bumps under my eyes after tear trough filler",
            "Can lumps from tear trough filler be dissolved?",
            "Tear trough filler is lumpy two weeks later",
        ],
    ),
    (
        "one eyebrow lower than the other after forehead botox",
        [
            "One eyebrow is lower than the other after forehead Botox",
            "Uneven eyebrows after Botox in my forehead",
            "Forehead Botox dropped one brow, will it even out?",
            "My brows are uneven since forehead Botox injections",
            "Brow droop on one side after forehead Botox",
        ],
    ),
]

DISTRACTORS = [
    "Can Botox help with teeth grinding at night?",
    "Is rhinoplasty covered by insurance after a broken nose?",
    "Best age for a facelift?",
    "Can fillers fix a weak chin without surgery?",
    "Dry eye drops that work after facial palsy",
    "Physical therapy exercises for Bell's palsy at home",
    "Does Botox for crow's feet affect my smile?",
    "How long do cheek fillers last?",
    "Eyelid surgery scar still red after two months",
    "Should I see a neurologist or an ENT for facial paralysis?",
    "Nerve transfer surgery for facial palsy: who is a candidate?",
    "Lip flip versus lip filler: which lasts longer?",
    "Is it safe to fly after rhinoplasty?",
    "Jaw pain after dental work and facial numbness",
    "Smile surgery with a gracilis muscle transfer: recovery?",
    "Brow lift or Botox for heavy eyelids?",
    "Chin implant shifting after a fall",
    "Hyaluronidase to dissolve old lip filler",
    "Facial asymmetry since childhood, what are my options?",
    "Microneedling for acne scars on the cheeks",
]
