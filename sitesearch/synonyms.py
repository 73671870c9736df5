"""The default synonym groups shipped with the site: words staff and parents use for the same thing.

Small and curated for schools and social media. HR edits them in the admin (Search → Synonyms);
`setup_site` adds these only when none exist yet.
"""

DEFAULT_GROUPS = [
    ("friend, befriend, add, follow, connect, friend request, follow request", "Connecting with someone online"),
    ("parent, mum, mom, dad, carer, guardian, parents' and carers", "Parents and carers"),
    ("pupil, student, child, kid, learner, young person, year", "Pupils, however people say it"),
    ("former pupil, ex-pupil, ex-student, old pupil, past pupil, alumni, left the school", "Former pupils"),
    ("message, dm, text, chat, pm, direct message, inbox, messaged", "Private messages"),
    ("whatsapp, group chat, messenger, telegram, signal", "Messaging apps and group chats"),
    ("instagram, insta, ig", "Instagram"),
    ("facebook, fb", "Facebook"),
    ("snapchat, snap", "Snapchat"),
    ("twitter, x, tweet, retweet", "Twitter / X"),
    ("photo, picture, pic, photograph, image, selfie", "Photos"),
    ("video, film, filmed, footage, recording, record", "Videos"),
    (
        "abuse, abusive, troll, trolling, harass, harassment, cyberbullying, bully, bullying, nasty comments, threatened",
        "Online abuse of staff",
    ),
    ("fake account, impersonate, impersonating, impersonation, parody account, pretending to be me", "Impersonation"),
    ("declare, declaration, disclose, register a relationship", "Declaring a relationship"),
    ("complain, complaint, moan, criticise, slag off, vent, unhappy", "Complaints and criticism"),
    ("sacked, dismissed, fired, disciplinary, discipline, trouble", "Consequences"),
    ("dsl, safeguarding lead, designated safeguarding lead, child protection", "The safeguarding lead"),
    ("tutor, tutoring, tuition, babysit, babysitting, childcare, nanny", "Private work for a family"),
    ("headteacher, head, principal", "The headteacher"),
    ("slt, senior leader, senior leadership, senior manager, leadership team", "Senior leaders"),
    ("phone, mobile, device, smartphone", "Phones"),
    ("staff, teacher, ta, teaching assistant, colleague, employee", "Staff"),
    ("private, privacy settings, lock down, hide", "Privacy settings"),
    ("worried, worrying, concern, concerned, self harm, at risk", "Safeguarding worries"),
]
