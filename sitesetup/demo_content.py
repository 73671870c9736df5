"""The demo school's policies, written for this project. Fictional school, fictional people.

Version 1 of the staff social media policy is `SOCIAL_MEDIA_V1`; version 2 applies `SOCIAL_MEDIA_V2_CHANGES`
on top of it (so the demo shows a real comparison), and 2.1 is an editorial fix.
"""


def p(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def sub(text):
    return {"type": "subheading", "value": text}


def rule(kind, text):
    return {"type": "rule", "value": {"kind": kind, "text": f"<p>{text}</p>"}}


def items(*entries, style="bulleted"):
    return {"type": "list", "value": {"style": style, "items": list(entries)}}


def note(text, kind="note"):
    return {"type": "note", "value": {"kind": kind, "text": f"<p>{text}</p>"}}


def law(title, relevance="", url=""):
    return {"type": "legislation", "value": {"title": title, "url": url, "relevance": relevance}}


SCHOOL = "Oakbrook Academy"

SOCIAL_MEDIA_SUMMARY = (
    "How everyone who works or volunteers at Oakbrook Academy uses social media, at work and in private life, "
    "so that pupils stay safe and staff stay protected."
)

SOCIAL_MEDIA_LEGISLATION = "\n".join(
    [
        "Keeping Children Safe in Education (statutory guidance)",
        "Data Protection Act 2018 and UK GDPR",
        "Human Rights Act 1998",
        "Equality Act 2010",
        "Defamation Act 2013",
        "Protection from Harassment Act 1997",
        "Malicious Communications Act 1988",
        "Communications Act 2003",
        "Regulation of Investigatory Powers Act 2000",
    ]
)

# (number, title, slug, body). Slugs stay stable across versions so links keep working.
SOCIAL_MEDIA_V1 = [
    (
        "1",
        "Who this policy is for",
        "who-this-policy-is-for",
        [
            p(
                "Social media is part of everyday life for most of us. This policy sets out how we use it so that our "
                "pupils are safe, our staff are protected, and families can trust the school."
            ),
            p("It applies to everyone who works at or for the academy, paid or unpaid:"),
            items(
                "teachers, teaching assistants and support staff, permanent or temporary;",
                "supply and agency staff, students on placement and contractors;",
                "volunteers, including parent helpers on trips;",
                "governors and trustees.",
            ),
            p(
                "It covers social media used for school business and in your private life, at any time of day, on any "
                "device: the school's equipment or your own."
            ),
            rule(
                "must",
                "Everyone covered by this policy must read it, confirm that they have read the current "
                "version, and follow it. New starters read it during induction.",
            ),
        ],
    ),
    (
        "2",
        "What we mean by social media",
        "what-we-mean-by-social-media",
        [
            p(
                "Social media means any website or app where people share content or talk to each other. That includes, "
                "for example, Facebook, Instagram, TikTok, X, Snapchat, LinkedIn, YouTube, blogs, forums and online games "
                "with chat."
            ),
            note(
                "If you are unsure whether something counts, treat it as social media and ask your line manager.",
                "example",
            ),
        ],
    ),
    (
        "3",
        "Who is responsible for what",
        "who-is-responsible-for-what",
        [
            sub("The headteacher"),
            items(
                "makes sure every member of staff knows this policy and has read the current version;",
                "deals promptly and fairly with concerns raised under it;",
                "approves the school's official social media accounts.",
            ),
            sub("Every member of staff"),
            items(
                "follows this policy and the staff code of conduct online;",
                "asks their line manager when in doubt;",
                "reports concerns straight away, as set out below.",
            ),
            sub("The governing body"),
            items(
                "approves this policy and reviews it at least every two years;",
                "holds its own members to the same standards online.",
            ),
        ],
    ),
    (
        "4",
        "Your professional reputation online",
        "your-professional-reputation-online",
        [
            p(
                "Anything you post can be copied, shared and seen by pupils, parents, colleagues and future employers, "
                "even on a private account. Before you post, ask yourself whether you would be comfortable if the whole "
                "school community saw it."
            ),
            rule(
                "must",
                "Staff must set the privacy settings on their personal accounts as high as the platform "
                "allows, and check them when the platform changes.",
            ),
            rule(
                "must_not",
                "Staff must not post anything that is confidential to the school, or anything about "
                "pupils, their families or colleagues that could identify them.",
            ),
            rule(
                "must_not",
                "Staff must not post content that bullies, harasses or discriminates against anyone, "
                "that is offensive, obscene or threatening, or that could bring the school into "
                "disrepute.",
            ),
            rule(
                "must_not",
                "Staff must not criticise the school, pupils, parents or colleagues online. There are "
                "proper ways to raise a concern: speak to your line manager or use the grievance or "
                "whistleblowing procedures.",
            ),
            p(
                "You may say where you work, for example on a professional networking profile, but make clear that "
                "your views are your own, and do not use the school's name or logo in your account names."
            ),
        ],
    ),
    (
        "5",
        "Contact with pupils and former pupils",
        "contact-with-pupils-and-former-pupils",
        [
            rule(
                "must_not",
                "Staff must not accept or send friend or follow requests, or exchange private messages, "
                "with pupils on personal social media.",
            ),
            rule(
                "must_not", "Staff must not do so with former pupils who are under 18, whatever school they now attend."
            ),
            p("If a pupil or former pupil contacts you on social media:"),
            items(
                "do not reply in a friendly way or start a conversation; decline or ignore the request;",
                "keep a copy (a screenshot) of the approach and of how you declined it;",
                "tell a member of the senior leadership team or the designated safeguarding lead in writing the same "
                "day. It will be logged.",
                style="numbered",
            ),
            note(
                "The only exception is where you have another genuine relationship with the pupil, for example a "
                "family member. That relationship must be declared (see section 7)."
            ),
        ],
    ),
    (
        "6",
        "Contact with parents and carers",
        "contact-with-parents-and-carers",
        [
            rule(
                "should_not",
                "Staff should not accept friend requests from parents or carers whose only connection "
                "with them is the school.",
            ),
            p(
                "All communication with parents about school matters goes through the school's official channels: the "
                "school office, school email and the official school accounts, never your personal accounts."
            ),
            p(
                "We know that staff often have other relationships with families: you may be related, have been friends "
                "before, be a parent at the school yourself, or do private work for a family such as tutoring or "
                "childcare. These relationships are allowed but must be declared (see section 7)."
            ),
        ],
    ),
    (
        "7",
        "Declaring a relationship",
        "declaring-a-relationship",
        [
            p(
                "Declaring a relationship protects you. It shows you have been open about it if a question is ever "
                "raised."
            ),
            rule(
                "must",
                "Staff must declare in writing to a member of the senior leadership team any social media "
                "connection with a pupil, a former pupil under 18, or a parent or carer, and what the "
                "relationship is.",
            ),
            p(
                "The declaration is kept confidentially on your personnel file. Tell us again if the relationship "
                "changes or ends."
            ),
        ],
    ),
    (
        "8",
        "Safeguarding concerns you see online",
        "safeguarding-concerns-you-see-online",
        [
            p(
                "Social media brings risks for children, including bullying, grooming and exploitation, exposure to "
                "harmful content and encouragement to self-harm."
            ),
            rule(
                "must",
                "Staff must report anything they see online that raises a concern about a child's safety to "
                "the designated safeguarding lead at once, following the child protection policy.",
            ),
            rule(
                "must_not",
                "Staff must not investigate a concern themselves, and must not use information found "
                "online to locate, meet or contact a child.",
            ),
            law("Keeping Children Safe in Education", "All staff must read Part one and follow it online as offline."),
        ],
    ),
    (
        "9",
        "If you are abused or impersonated online",
        "if-you-are-abused-or-impersonated-online",
        [
            p(
                "Nobody should have to put up with abuse because of their job. If you find posts, images or messages "
                "about you that are abusive, untrue or used without your permission:"
            ),
            items(
                "do not reply or engage, however tempting;",
                "keep evidence: screenshots showing the date, the time and the web address;",
                "report it to a member of the senior leadership team as soon as you can.",
                style="numbered",
            ),
            p(
                "The school will investigate and ask the site to remove the material. If a pupil is responsible, the "
                "behaviour policy applies. If the material is threatening, we will involve the police with your "
                "agreement. You will be offered support throughout."
            ),
        ],
    ),
    (
        "10",
        "The school's official accounts",
        "the-schools-official-accounts",
        [
            p(
                "The school runs official accounts to share news and celebrate pupils' achievements. The headteacher "
                "approves every account and who may post to it."
            ),
            rule(
                "must_not",
                "Staff must not set up an account, page or group on behalf of the school, a class or a "
                "club without written approval.",
            ),
            p(
                "A request for a new account says what it is for, who will see and contribute to it, who will run it, "
                "when it goes live and when it will close. Every account needs at least two administrators and two "
                "moderators so that it is always looked after."
            ),
            rule(
                "must_not",
                "Staff must not post photographs or names of pupils unless the school holds consent for that pupil.",
            ),
        ],
    ),
    (
        "11",
        "Using social media during the working day",
        "using-social-media-during-the-working-day",
        [
            rule(
                "must_not", "Staff must not use personal social media when pupils are present or during directed time."
            ),
            p(
                "You may use your own device for social media during breaks, away from pupils. The school's network and "
                "devices are monitored, and excessive personal use can be treated as a conduct matter."
            ),
        ],
    ),
    (
        "12",
        "Breaches, monitoring and review",
        "breaches-monitoring-and-review",
        [
            p(
                "A suspected breach of this policy will be investigated under the disciplinary procedure. You may be "
                "asked to help, for example by providing a copy of the content. Serious breaches may lead to dismissal, "
                "and unlawful conduct will be reported to the police."
            ),
            p(
                "The governing body reviews this policy at least every two years, and sooner if the law, guidance or "
                "our experience changes."
            ),
            law(
                "Data Protection Act 2018 and UK GDPR",
                "Personal data about pupils and staff must not be shared online.",
            ),
            law("Equality Act 2010"),
            law(
                "Defamation Act 2013",
                "Posting or sharing untrue statements that harm someone's reputation can be unlawful.",
            ),
        ],
    ),
]

# Version 2: messaging apps, group chats, a deadline for declarations and reports, and the 24-hour removal aim.
SOCIAL_MEDIA_V2_CHANGES = {
    "2": (
        "2",
        "What we mean by social media",
        [
            p(
                "Social media means any website or app where people share content or talk to each other. That includes, "
                "for example, Facebook, Instagram, TikTok, X, Snapchat, LinkedIn, YouTube, blogs, forums and online games "
                "with chat."
            ),
            p(
                "It also includes messaging apps and group chats such as WhatsApp, Messenger and Telegram, including "
                "class or year-group parent chats."
            ),
            note(
                "If you are unsure whether something counts, treat it as social media and ask your line manager.",
                "example",
            ),
        ],
    ),
    "5": (
        "5",
        "Contact with pupils and former pupils",
        [
            rule(
                "must_not",
                "Staff must not accept or send friend or follow requests, or exchange private messages, "
                "with pupils on personal social media or messaging apps.",
            ),
            rule(
                "must_not", "Staff must not do so with former pupils who are under 18, whatever school they now attend."
            ),
            p("If a pupil or former pupil contacts you on social media:"),
            items(
                "do not reply in a friendly way or start a conversation; decline or ignore the request;",
                "keep a copy (a screenshot) of the approach and of how you declined it;",
                "report it to a member of the senior leadership team or the designated safeguarding lead the same "
                "day, using the rejected-contact report. It will be logged.",
                style="numbered",
            ),
            note(
                "The only exception is where you have another genuine relationship with the pupil, for example a "
                "family member. That relationship must be declared (see section 7)."
            ),
        ],
    ),
    "6": (
        "6",
        "Contact with parents and carers",
        [
            rule(
                "must_not",
                "Staff must not accept friend requests from parents or carers whose only connection "
                "with them is the school.",
            ),
            p(
                "All communication with parents about school matters goes through the school's official channels: the "
                "school office, school email and the official school accounts, never your personal accounts."
            ),
            rule(
                "must_not",
                "Staff must not join parents' group chats for a class or year group in a staff role, and "
                "must not answer school questions there. Point parents to the school office instead.",
            ),
            p(
                "We know that staff often have other relationships with families: you may be related, have been friends "
                "before, be a parent at the school yourself, or do private work for a family such as tutoring or "
                "childcare. These relationships are allowed but must be declared (see section 7)."
            ),
        ],
    ),
    "7": (
        "7",
        "Declaring a relationship",
        [
            p(
                "Declaring a relationship protects you. It shows you have been open about it if a question is ever "
                "raised."
            ),
            rule(
                "must",
                "Staff must declare in writing to a member of the senior leadership team, within five school "
                "days, any social media connection with a pupil, a former pupil under 18, or a parent or "
                "carer, and what the relationship is.",
            ),
            p(
                "Use the relationship declaration form in the staff hub. The declaration is kept confidentially on your "
                "personnel file. Update it if the relationship changes, or withdraw it if it ends."
            ),
        ],
    ),
    "9": (
        "9",
        "If you are abused or impersonated online",
        [
            p(
                "Nobody should have to put up with abuse because of their job. If you find posts, images or messages "
                "about you that are abusive, untrue or used without your permission, or an account pretending to be "
                "you:"
            ),
            items(
                "do not reply or engage, however tempting;",
                "keep evidence: screenshots showing the date, the time and the web address;",
                "report it to a member of the senior leadership team as soon as you can.",
                style="numbered",
            ),
            p(
                "The school will investigate and aim to have the material removed within 24 hours, contacting the site "
                "or, if it does not act, the internet provider. If a pupil is responsible, the behaviour policy applies. "
                "If the material is threatening, we will involve the police with your agreement. You will be offered "
                "support throughout, including counselling."
            ),
        ],
    ),
}
SOCIAL_MEDIA_V2_NEW = [
    (
        "13",
        "What we ask of parents and carers",
        "what-we-ask-of-parents-and-carers",
        [
            p("Parents and carers have their own part to play. We ask them:"),
            items(
                "not to post photos or videos of other people's children taken at school events without their "
                "parents' permission;",
                "to raise concerns about the school through the complaints procedure, not on social media;",
                "to remember that parent group chats are not official school channels;",
                "to understand why staff will not accept their friend requests.",
            ),
            p(
                "If you see a parent posting something that breaches these expectations, do not respond; tell a member "
                "of the senior leadership team."
            ),
        ],
    ),
]
SOCIAL_MEDIA_V21_FIX = {
    "11": (
        "11",
        "Using social media during the working day",
        [
            rule(
                "must_not", "Staff must not use personal social media when pupils are present or during directed time."
            ),
            p(
                "You may use your own device for social media during breaks and non-directed time, away from pupils. "
                "The school's network and devices are monitored, and excessive personal use can be treated as a "
                "conduct matter."
            ),
        ],
    ),
}

# Check your understanding, from version 2: (question, kind, choices, statement is true, section, explanation).
SOCIAL_MEDIA_CHECK = [
    (
        "A parent of a child in your class sends you a friend request on your personal account. What do you do?",
        "single",
        [
            ("Accept it if you know them well", False),
            ("Decline it, and keep in touch through the school's channels", True),
            ("Ignore it and say nothing to anyone", False),
        ],
        False,
        "6",
        "Friend requests from parents are a 'must not': decline them and use the school's channels.",
    ),
    (
        "You may message a pupil on WhatsApp about their homework if it is quicker than the school platform.",
        "true_false",
        [],
        False,
        "5",
        "Contact with pupils goes through the school's own systems only.",
    ),
    (
        "Which of these do you declare with the relationship form?",
        "multiple",
        [
            ("You are friends on Facebook with a pupil's parent", True),
            ("A former pupil aged 16 follows you on Instagram", True),
            ("You follow the school's official account", False),
        ],
        False,
        "7",
        "Any social media connection with a parent or carer, or a pupil or former pupil under 18, is declared.",
    ),
]

ACCEPTABLE_USE = [
    (
        "1",
        "Purpose",
        "purpose",
        [
            p(
                "This policy explains how staff may use the school's computers, network, email and online services, and "
                "how we keep them secure."
            ),
        ],
    ),
    (
        "2",
        "Accounts and passwords",
        "accounts-and-passwords",
        [
            rule("must", "Staff must use a strong password and multi-factor authentication on their school accounts."),
            rule("must_not", "Staff must not share their login details or let anyone else use their account."),
        ],
    ),
    (
        "3",
        "Personal data",
        "personal-data",
        [
            rule(
                "must_not", "Staff must not store pupils' personal data on personal devices or personal cloud storage."
            ),
            p("Report a lost device or a data breach to the data protection officer at once."),
        ],
    ),
]

# Version 2 of the acceptable use policy, prepared by HR after its review and waiting for the governors.
ACCEPTABLE_USE_V2_SUMMARY = (
    "After the annual review: school accounts now need an authenticator app, not text messages; a new section "
    "on AI tools; a lost device is reported within an hour."
)
ACCEPTABLE_USE_V2_CHANGES = {
    "2": (
        "2",
        "Accounts and passwords",
        [
            rule(
                "must",
                "Staff must use a strong password and an authenticator app (not text messages) on their school "
                "accounts.",
            ),
            rule("must_not", "Staff must not share their login details or let anyone else use their account."),
        ],
    ),
    "3": (
        "3",
        "Personal data",
        [
            rule(
                "must_not", "Staff must not store pupils' personal data on personal devices or personal cloud storage."
            ),
            p("Report a lost device or a data breach to the data protection officer within an hour."),
        ],
    ),
}
ACCEPTABLE_USE_V2_NEW = (
    "4",
    "AI tools",
    "ai-tools",
    [
        rule(
            "must_not",
            "Staff must not put pupils' names, work or any other personal data into an AI tool the school has not "
            "approved.",
        ),
        p("The IT lead keeps the list of approved tools; ask them before trying a new one with pupils."),
    ],
)

COMPLAINTS = [
    (
        "1",
        "Raising a concern",
        "raising-a-concern",
        [
            p(
                "Most concerns are sorted out quickly by talking to your child's class teacher or form tutor. Please "
                "contact the school office to arrange a conversation."
            ),
        ],
    ),
    (
        "2",
        "Making a formal complaint",
        "making-a-formal-complaint",
        [
            p(
                "If you are not satisfied, write to the headteacher. We will acknowledge your complaint within five "
                "school days."
            ),
            note(
                "Please do not raise complaints on social media. It cannot be resolved there, and it can make "
                "things harder for the children involved.",
                "important",
            ),
        ],
    ),
]

PARENTS_BODY = [
    p("Our staff are asked to follow clear rules online, and we ask the same care of families."),
    sub("Photos and videos"),
    p(
        "You are welcome to take photos of your own child at school events. Please do not post pictures that show "
        "other children unless their parents have agreed."
    ),
    sub("Raising a concern"),
    p(
        "If something worries you, talk to us: your child's teacher or the school office can usually help, and our "
        '<a href="/policies/complaints/">complaints procedure</a> explains what happens if you are still unhappy. '
        "Please do not raise concerns about staff or pupils on social media: they cannot be resolved there, and "
        "posts about a named child or adult can hurt the very children involved."
    ),
    sub("Parent group chats"),
    p(
        "Class and year-group chats run by parents can be a great help, but they are not official school channels. "
        "For anything that matters, check with the school office."
    ),
    sub("Why staff will not accept your friend request"),
    p(
        "Staff keep their personal social media separate from their work. Please do not take it personally if a "
        "member of staff declines your request: they are following school policy, which protects everyone."
    ),
]
