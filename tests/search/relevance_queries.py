"""Realistic queries against the demo school, with the result a person would want first.

Written before tuning. (who, query, acceptable first results). Who is "staff" (signed in) or "parent"
(anonymous). A result is an answer's question, or "Policy title N. Section title" for a policy section.
Add every miss found later, with the answer it should have found.
"""

SM = "Staff social media policy"

FRIEND_PARENT = "Can I friend a parent on Facebook?"
FRIEND_PUPIL = "Can I accept a friend request from a pupil?"
FOLLOW_PUPIL = "A pupil sent me a follow request on Instagram. What do I do?"
EX_PUPILS = "Can I follow former pupils on social media?"
PUPIL_MESSAGE = "A pupil messaged me on Snapchat. Should I reply?"
WHATSAPP_PUPILS = "Can I message pupils about homework on WhatsApp?"
RELATIVE = "A pupil is my relative. Can we be connected online?"
KEEP = "What should I keep when I decline contact from a pupil?"
HOW_QUICK = "How quickly must I report a pupil contacting me online?"
TAGGED = "A pupil tagged me in a post. What should I do?"
OLD_FRIEND = "I was friends with a parent before their child joined. Is that allowed?"
STAFF_PARENT_GROUP = "I am a parent at the school where I work. Can I join the class WhatsApp group?"
JOIN_GROUP = "Can I join the parents' class group chat to answer questions?"
PARENT_DM = "A parent messaged me on my personal account about their child. What do I do?"
TUTOR = "I tutor a pupil privately. Do I need to tell anyone?"
PARENT_COMPLAINT_ONLINE = "A parent posted a complaint about me online. What should I do?"
HOW_DECLARE = "How do I declare a relationship?"
DECLARE_DEADLINE = "How long do I have to declare a relationship?"
WHO_SEES = "Who sees my declaration?"
ENDED = "The relationship I declared has ended. What now?"
TROUBLE_DECLARE = "Will declaring a relationship get me into trouble?"
PRIVATE = "Should my social media accounts be private?"
SAY_WORK = "Can I say where I work on my profile?"
TRIP_PHOTOS = "Can I post photos from a school trip on my own account?"
POST_DAY = "Can I post about my day at work?"
CRITICISE = "Can I criticise the school on social media?"
NICKNAME = "Can I use a nickname so pupils can't find me?"
OUT_OF_HOURS = "Does the policy apply to what I do out of school hours?"
SUPPLY = "Does the policy apply to supply staff and volunteers?"
WHATSAPP_COUNTS = "Does WhatsApp count as social media?"
LINKEDIN = "Can I use LinkedIn to network with other teachers?"
SHARE_NEWS = "Can I share a news story about the school?"
WORRIED = "I saw something online that worries me about a pupil. What do I do?"
SCREENSHOT_WORRY = "Should I screenshot a worrying post by a pupil?"
LOOK_UP = "Can I look up a pupil's social media to check on them?"
WHO_DSL = "Who is the designated safeguarding lead?"
ABUSE = "Someone is posting abuse about me online. What should I do?"
FAKE = "Someone made a fake account pretending to be me. What do I do?"
POLICE = "Will the school involve the police if I am threatened online?"
TAKEDOWN = "How fast will the school get abusive posts taken down?"
PUPIL_VIDEO = "A pupil posted a video of me from a lesson. What should I do?"
DEPT_ACCOUNT = "Can I set up a Twitter account for my department?"
WHO_POSTS = "Who can post on the school's official accounts?"
ADMINS = "How many administrators does a school account need?"
NAMES_PHOTOS = "Can we post pupils' names with their photos?"
PHONE_WORK = "Can I use my phone for social media at work?"
WIFI = "Is my use of the school wifi monitored?"
BREAK_POLICY = "What happens if I break the social media policy?"
MUST_READ = "Do I have to read the social media policy?"
REREAD = "Why am I being asked to read the policy again?"
WHO_ASK = "Who do I ask if I'm unsure about something online?"
DELETE_OLD = "Can I delete an old post that might look bad?"
COMMENT_PARENT_POST = "Can I comment on a parent's post about the school?"
PLAY_PHOTOS = "Can I post photos of the school play?"
COMPLAIN_TEACHER = "How do I complain about a teacher?"
WHATSAPP_OFFICIAL = "Is the class WhatsApp group run by the school?"
TEACHER_DECLINED = "Why won't my child's teacher accept my friend request?"
OFFICIAL_ACCOUNTS = "What are the school's official social media accounts?"
PAPER_COPY = "How do I get a paper copy of a policy?"
CHILD_POSTED_ABOUT = "Someone is posting about my child online. What should I do?"
PUPILS_CONTACT = "Can pupils contact teachers on social media?"
FILM_ASSEMBLY = "Can I film my child's class assembly?"
TAG_SCHOOL = "Can I tag the school in my posts?"
SCHOOL_READS_CHATS = "Does the school read parents' WhatsApp groups?"

QUERIES = [
    # plain questions, the way staff type them
    ("staff", "can I friend a parent?", [FRIEND_PARENT]),
    ("staff", "can i add a parent on facebook", [FRIEND_PARENT]),
    ("staff", "parent sent me a friend request", [FRIEND_PARENT]),
    ("staff", "is it ok to be facebook friends with parents", [FRIEND_PARENT]),
    ("staff", "pupil friend request", [FRIEND_PUPIL, FOLLOW_PUPIL]),
    ("staff", "student added me", [FRIEND_PUPIL, FOLLOW_PUPIL]),
    ("staff", "year 9 girl sent me a follow request", [FOLLOW_PUPIL, FRIEND_PUPIL]),
    ("staff", "kid from my class followed me on insta", [FOLLOW_PUPIL]),
    ("staff", "can I follow ex students", [EX_PUPILS]),
    ("staff", "former pupil who left last year wants to add me", [EX_PUPILS]),
    ("staff", "a year 11 messaged me on snapchat", [PUPIL_MESSAGE]),
    ("staff", "student DMd me", [PUPIL_MESSAGE]),
    ("staff", "can I whatsapp my tutor group about homework", [WHATSAPP_PUPILS]),
    ("staff", "my nephew is at the school can we be friends online", [RELATIVE]),
    ("staff", "what evidence do I keep after declining a pupil", [KEEP]),
    ("staff", "how soon do I have to report a friend request from a pupil", [HOW_QUICK]),
    ("staff", "pupil tagged me in a photo", [TAGGED]),
    ("staff", "I knew this mum before her son started here", [OLD_FRIEND]),
    ("staff", "my daughter goes here can I be in the class whatsapp", [STAFF_PARENT_GROUP]),
    ("staff", "parents want me in their group chat", [JOIN_GROUP]),
    ("staff", "a mum messaged me on instagram about her son", [PARENT_DM]),
    ("staff", "I babysit for a family at school", [TUTOR]),
    ("staff", "private tuition for a pupil", [TUTOR]),
    ("staff", "parent slagging me off on facebook", [PARENT_COMPLAINT_ONLINE, ABUSE]),
    ("staff", "how do I declare a relationship", [HOW_DECLARE]),
    ("staff", "declaration form", [HOW_DECLARE]),
    ("staff", "deadline for declaring", [DECLARE_DEADLINE]),
    ("staff", "who can see my declaration", [WHO_SEES]),
    ("staff", "I'm no longer friends with that parent", [ENDED]),
    ("staff", "will I get in trouble for declaring", [TROUBLE_DECLARE]),
    ("staff", "should my instagram be private", [PRIVATE]),
    ("staff", "privacy settings", [PRIVATE]),
    ("staff", "can I put the school on my linkedin", [SAY_WORK, LINKEDIN]),
    ("staff", "post pictures from the trip", [TRIP_PHOTOS]),
    ("staff", "can I share photos of my class on my instagram", [TRIP_PHOTOS]),
    ("staff", "tweet about my lesson", [POST_DAY]),
    ("staff", "can I moan about SLT online", [CRITICISE]),
    ("staff", "complain about my school on twitter", [CRITICISE]),
    ("staff", "change my name on facebook so students can't find me", [NICKNAME]),
    ("staff", "does the policy apply at the weekend", [OUT_OF_HOURS]),
    ("staff", "do supply teachers have to follow this", [SUPPLY]),
    ("staff", "does it apply to governors", [SUPPLY]),
    ("staff", "is whatsapp social media", [WHATSAPP_COUNTS]),
    ("staff", "teacher networking online", [LINKEDIN]),
    ("staff", "can I retweet the school", [SHARE_NEWS]),
    ("staff", "pupil posted something worrying", [WORRIED]),
    ("staff", "saw a self harm post by a student", [WORRIED]),
    ("staff", "should I screenshot a child's post", [SCREENSHOT_WORRY]),
    ("staff", "check a pupil's instagram", [LOOK_UP]),
    ("staff", "who is the DSL", [WHO_DSL]),
    ("staff", "being trolled online", [ABUSE]),
    ("staff", "cyberbullying of staff", [ABUSE]),
    ("staff", "someone is impersonating me", [FAKE]),
    ("staff", "pupils made a parody account of me", [FAKE]),
    ("staff", "threatened on social media police", [POLICE]),
    ("staff", "how long to get a post removed", [TAKEDOWN]),
    ("staff", "student filmed me in class", [PUPIL_VIDEO]),
    ("staff", "start a department instagram", [DEPT_ACCOUNT]),
    ("staff", "can I post on the school facebook page", [WHO_POSTS]),
    ("staff", "how many admins for a school account", [ADMINS]),
    ("staff", "post pupils names on the school account", [NAMES_PHOTOS]),
    ("staff", "phone at lunch break", [PHONE_WORK]),
    ("staff", "check facebook in the staffroom", [PHONE_WORK]),
    ("staff", "is my browsing monitored", [WIFI]),
    ("staff", "can I be sacked for a post", [BREAK_POLICY]),
    ("staff", "do I need to sign the policy", [MUST_READ]),
    ("staff", "why do I have to read it again", [REREAD]),
    ("staff", "who do I ask", [WHO_ASK]),
    ("staff", "delete old tweets", [DELETE_OLD]),
    ("staff", "reply to parent moaning about the school on facebook", [COMMENT_PARENT_POST]),
    # misspellings
    ("staff", "frend request from parnet", [FRIEND_PARENT]),
    ("staff", "can i freind a pupil", [FRIEND_PUPIL]),
    ("staff", "declair a relationship", [HOW_DECLARE]),
    ("staff", "safegaurding concern online", [WORRIED]),
    ("staff", "cyberbulying", [ABUSE]),
    ("staff", "whatsap group parents", [JOIN_GROUP, STAFF_PARENT_GROUP, SCHOOL_READS_CHATS]),
    # questions that a policy section answers best
    ("staff", "legislation data protection act", [f"{SM} 12. Breaches, monitoring and review"]),
    ("staff", "who is responsible for what headteacher governing body", [f"{SM} 3. Who is responsible for what"]),
    ("staff", "what counts as social media definition", [f"{SM} 2. What we mean by social media", WHATSAPP_COUNTS]),
    ("staff", "what we ask of parents", [f"{SM} 13. What we ask of parents and carers"]),
    # parents, signed out
    ("parent", "can I put photos of the nativity on facebook", [PLAY_PHOTOS]),
    ("parent", "sports day pictures", [PLAY_PHOTOS]),
    ("parent", "how do I complain about a teacher", [COMPLAIN_TEACHER]),
    ("parent", "unhappy with my child's teacher", [COMPLAIN_TEACHER]),
    ("parent", "is the class whatsapp official", [WHATSAPP_OFFICIAL]),
    ("parent", "teacher declined my friend request", [TEACHER_DECLINED]),
    ("parent", "why cant i add the teacher on facebook", [TEACHER_DECLINED]),
    ("parent", "school facebook page", [OFFICIAL_ACCOUNTS]),
    ("parent", "paper copy of the policy", [PAPER_COPY]),
    ("parent", "my son is being bullied on snapchat", [CHILD_POSTED_ABOUT]),
    ("parent", "can my child message their teacher", [PUPILS_CONTACT]),
    ("parent", "can I video the assembly", [FILM_ASSEMBLY]),
    ("parent", "tag the school on instagram", [TAG_SCHOOL]),
    ("parent", "does the school see our group chat", [SCHOOL_READS_CHATS]),
]
