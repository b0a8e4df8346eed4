"""The rules of bijeenkomsten, one module per family of actions:

- `registration`: registering, cancelling, claiming or declining an offered place, offers that
  expire, reserved places: the capacity rules and the wachtlijst, in one place;
- `guests`: a guest's registration, which counts once their address is confirmed;
- `beheer`: what coördinatoren do by hand: create, edit, publish and cancel a bijeenkomst,
  change its capacity, offer the next place, move someone on the wachtlijst;
- `invitations`: invitations, messages to the registered and the reminder the day before;
- `importing`: registering the rows of a checked CSV (reading it is `bijeenkomsten/imports.py`);
- `handing_on`: handing a confirmed place on to a colleague, never freeing it in between;
- `colleagues`: what the contactpersoon of an organisatie does for colleagues;
- `groups`: registering 2 to 10 colleagues together, and how a group waits on the
  wachtlijst among single entries (the rule is in its docstring);
- `organisaties`: matching the free-text organisatie of registrations to Organisatie rows;
- `links`: the personal links of registrations and invitations (only their hash is stored);
- `presence`: check-in at the door, and registering a walk-in there;
- `questions`: the questions of a bijeenkomst and the server-side check of their answers;
- `approval`: registration with approval: approving or declining requests;
- `privacy`: forgetting a person and the retention of registrations;
- `programma`: keeping the programme: items, sprekers, a deelsessie's capacity, and the
  materials (slides, links) of an item;
- `sessions`: deelsessies with their own places and wachtlijsten: choosing, switching,
  claiming an offered session place, expiry (the lock order is in its docstring);
- `quota`: places held for one network (the arena, a co-organising organisatie) until a
  date; taking and releasing them are registration rules;
- `team`: the team of a bijeenkomst: organisator, co-organisator for an organisatie, deur;
- `verslagen`: the verslag after a bijeenkomst, its attendance from the check-in;
- `evaluations`: the evaluation after it: mailing those present, their anonymous answers;
- `_common`: what they share: the error, the bijeenkomst lock, the log and the mail helpers.

Callers import from here (`from bijeenkomsten import services`). `__all__` is exactly what
views, tasks, other apps and tests use, kept so by tests/bijeenkomsten/test_services_package.py.
A test that replaces a function (a control without the lock) patches the module that calls
it, not this one: a name re-exported here is a second reference, not the one called.
"""

from bijeenkomsten.services._common import TOKEN_PLACEHOLDER, RegistrationError
from bijeenkomsten.services.approval import approve, decline_requests
from bijeenkomsten.services.beheer import (
    cancel_bijeenkomst,
    change_capacity,
    create_bijeenkomst,
    move_on_waitlist,
    offer_next_place,
    publish_bijeenkomst,
    update_bijeenkomst,
)
from bijeenkomsten.services.colleagues import register_colleague
from bijeenkomsten.services.evaluations import (
    EvaluatieError,
    EvaluatieStand,
    bijeenkomsten_due_for_evaluation,
    evaluation_questions,
    evaluation_state,
    send_evaluation,
    submit_evaluation,
)
from bijeenkomsten.services.groups import claim_group, register_group
from bijeenkomsten.services.guests import (
    GUEST_CONFIRMATION_MAX_AGE,
    InvalidGuestLink,
    confirm_guest_registration,
    delete_expired_guest_registrations,
    read_guest_registration,
    request_guest_registration,
)
from bijeenkomsten.services.handing_on import hand_on
from bijeenkomsten.services.importing import (
    delete_expired_import_checks,
    import_aanmeldingen,
    imports_to_resume,
    keep_checked_import,
    queue_import,
    run_import,
)
from bijeenkomsten.services.invitations import (
    bijeenkomsten_due_for_day_before_reminder,
    invitation_refusal,
    invite,
    register_invited,
    remind_attendees,
    remind_invited,
    save_bericht,
    send_bericht,
)
from bijeenkomsten.services.links import personal_link
from bijeenkomsten.services.organisaties import decide_voorstel, match_organisaties
from bijeenkomsten.services.presence import check_in, register_walk_in, undo_check_in
from bijeenkomsten.services.privacy import (
    anonymise_past_registrations,
    forget_persoon,
    months_before,
)
from bijeenkomsten.services.programma import (
    add_materiaal,
    change_session_capacity,
    delete_materiaal,
    delete_onderdeel,
    save_onderdeel,
)
from bijeenkomsten.services.questions import (
    delete_question,
    registration_questions,
    save_question,
)
from bijeenkomsten.services.quota import save_quotum
from bijeenkomsten.services.registration import (
    OPTIONAL_FIELDS,
    bijeenkomsten_with_expired_offers,
    bijeenkomsten_with_reservations_due,
    cancel,
    claim,
    decline,
    expire_offers,
    offers_due_for_reminder,
    register,
    register_on_behalf,
    registration_refusal,
    release_reserved_places,
    remind_offer,
)
from bijeenkomsten.services.sessions import (
    bijeenkomsten_with_expired_session_offers,
    change_session,
    claim_session,
    expire_session_offers,
    withdraw_session_choice,
)
from bijeenkomsten.services.team import remove_teamlid, save_teamlid
from bijeenkomsten.services.verslagen import VerslagError, attendance, save_verslag

# Kept here for the callers that catch it as `services.RuleViolation`.
from werkplaats.exceptions import RuleViolation

__all__ = [
    "add_materiaal",
    "delete_materiaal",
    "change_session_capacity",
    "delete_onderdeel",
    "save_onderdeel",
    "withdraw_session_choice",
    "expire_session_offers",
    "claim_session",
    "change_session",
    "bijeenkomsten_with_expired_session_offers",
    "GUEST_CONFIRMATION_MAX_AGE",
    "OPTIONAL_FIELDS",
    "TOKEN_PLACEHOLDER",
    "InvalidGuestLink",
    "RegistrationError",
    "RuleViolation",
    "VerslagError",
    "EvaluatieError",
    "EvaluatieStand",
    "bijeenkomsten_due_for_evaluation",
    "evaluation_questions",
    "evaluation_state",
    "send_evaluation",
    "submit_evaluation",
    "anonymise_past_registrations",
    "approve",
    "attendance",
    "bijeenkomsten_due_for_day_before_reminder",
    "bijeenkomsten_with_expired_offers",
    "bijeenkomsten_with_reservations_due",
    "cancel",
    "cancel_bijeenkomst",
    "change_capacity",
    "check_in",
    "claim",
    "claim_group",
    "confirm_guest_registration",
    "create_bijeenkomst",
    "decide_voorstel",
    "decline",
    "decline_requests",
    "delete_expired_guest_registrations",
    "delete_question",
    "expire_offers",
    "forget_persoon",
    "hand_on",
    "delete_expired_import_checks",
    "import_aanmeldingen",
    "keep_checked_import",
    "invitation_refusal",
    "invite",
    "match_organisaties",
    "months_before",
    "move_on_waitlist",
    "offer_next_place",
    "offers_due_for_reminder",
    "personal_link",
    "publish_bijeenkomst",
    "queue_import",
    "read_guest_registration",
    "register",
    "register_colleague",
    "register_group",
    "register_invited",
    "register_on_behalf",
    "register_walk_in",
    "registration_questions",
    "registration_refusal",
    "release_reserved_places",
    "remove_teamlid",
    "remind_attendees",
    "remind_invited",
    "remind_offer",
    "request_guest_registration",
    "run_import",
    "imports_to_resume",
    "save_bericht",
    "save_question",
    "save_quotum",
    "save_teamlid",
    "save_verslag",
    "send_bericht",
    "undo_check_in",
    "update_bijeenkomst",
]
