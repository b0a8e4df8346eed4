"""The coördinator's tools for the attendees of one bijeenkomst: importing a CSV file,
checking people in at the door, and exporting the lists.

An import takes two steps. The upload is read and every row checked; the valid rows wait
in the database (`ImportControle`) under a random token, for this coördinator and this
bijeenkomst only and for IMPORT_CHECK_KEPT, while the preview shows what is wrong. Only
the confirmation registers them. The rows never travel through the browser, so nobody can
change them between the two steps.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from bijeenkomsten import badges, exports, imports, selectors, services
from bijeenkomsten.forms import ExportForm, ImportForm, TerPlekkeForm
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Import, ImportControle
from bijeenkomsten.permissions import (
    can_check_in,
    can_export,
    can_import,
    can_print_badges,
)
from werkplaats.actions import ActionView, FormPageActionView
from werkplaats.search import search_term

PREVIEW_ROWS_PER_PAGE = 50
PREVIEW_ERRORS_SHOWN = 500
ATTENDEES_PER_PAGE = 25


class CoordinatorPage(View):
    """A page of one bijeenkomst for those who manage its registrations: anonymous
    visitors go to the log-in page, anyone without `permission` gets a 403 before anything
    is read."""

    permission = staticmethod(can_import)  # a predicate of bijeenkomsten.permissions

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.bijeenkomst = get_object_or_404(Bijeenkomst, slug=kwargs["slug"])
        if not self.permission(request.user, self.bijeenkomst):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# Import


def _kept_import(token: str, *, bijeenkomst, door) -> ImportControle | None:
    return selectors.checked_import(token=token, bijeenkomst=bijeenkomst, door=door)


def _import_url(bijeenkomst) -> str:
    return reverse("bijeenkomsten:importeren", kwargs={"slug": bijeenkomst.slug})


class ImportView(CoordinatorPage):
    """Step one: upload a file and have every row checked. Registers nobody."""

    template_name = "bijeenkomsten/import.html"

    def get(self, request, slug):
        return self._page(ImportForm())

    def post(self, request, slug):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(form, status=400)
        bestand = form.cleaned_data["bestand"]
        try:
            result = imports.parse(
                bestand.read(),
                registered=selectors.open_adressen(bijeenkomst=self.bijeenkomst),
                vragen=services.registration_questions(self.bijeenkomst),
            )
        except imports.FileRefused as error:
            form.add_error("bestand", str(error))
            return self._page(form, status=400)
        token = services.keep_checked_import(
            bijeenkomst=self.bijeenkomst, door=request.user, bestand=bestand.name, result=result
        ).token
        return HttpResponseRedirect(
            reverse(
                "bijeenkomsten:import-controle",
                kwargs={"slug": self.bijeenkomst.slug, "token": token},
            )
        )

    def _page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"bijeenkomst": self.bijeenkomst, "form": form},
            status=status,
        )


class ImportPreviewView(CoordinatorPage):
    """Step two: what is wrong, per row, and what would be imported."""

    def get(self, request, slug, token):
        job = Import.objects.filter(token=token, bijeenkomst=self.bijeenkomst).first()
        if job is not None and job.status != Import.Status.MISLUKT:
            return HttpResponseRedirect(_progress_url(self.bijeenkomst, job))
        kept = _kept_import(token, bijeenkomst=self.bijeenkomst, door=request.user)
        if kept is None:
            messages.error(request, _expired_message())
            return HttpResponseRedirect(_import_url(self.bijeenkomst))
        page = Paginator(kept.rijen, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
        errors = kept.fouten
        return render(
            request,
            "bijeenkomsten/import_controle.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "token": token,
                "bestand": kept.bestand,
                "aantal_goed": len(kept.rijen),
                "aantal_fout": len(errors),
                "fouten": errors[:PREVIEW_ERRORS_SHOWN],
                "fouten_niet_getoond": max(len(errors) - PREVIEW_ERRORS_SHOWN, 0),
                "genegeerde_kolommen": kept.genegeerde_kolommen,
                "page_obj": page,
                "rijen": page.object_list,
                "plaatsen_vrij": self.bijeenkomst.plaatsen_vrij,
            },
        )


def _expired_message() -> str:
    return _(
        "Deze controle is verlopen of de import is al uitgevoerd. Kijk bij de aanmeldingen, "
        "of upload het bestand opnieuw."
    )


class ImportConfirmView(ActionView):
    """Step three: have every valid row registered, all or none, by a task; the
    coördinator follows it on the import's own page."""

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_import(user, bijeenkomst)

    def perform(self):
        token = self.kwargs["token"]
        job = Import.objects.filter(token=token, bijeenkomst=self.object).first()
        if job is not None and job.status != Import.Status.MISLUKT:
            # Confirmed before (a second tab, the back button): its checked rows are gone.
            return job
        kept = _kept_import(token, bijeenkomst=self.object, door=self.request.user)
        if kept is None:
            raise services.RegistrationError(_expired_message())
        return services.queue_import(
            bijeenkomst=self.object,
            door=self.request.user,
            token=token,
            rows=[imports.ImportRow(**row) for row in kept.rijen],
            bron=kept.bestand,
        )

    def get_success_url(self, job):
        return _progress_url(self.object, job)

    def default_url(self):
        return _import_url(self.object)


def _progress_url(bijeenkomst, job) -> str:
    return reverse(
        "bijeenkomsten:import-voortgang", kwargs={"slug": bijeenkomst.slug, "token": job.token}
    )


class ImportProgressView(CoordinatorPage):
    """Step four: how the import went. While it waits, the page says so and offers to look
    again (no automatic refresh: that would move the page under someone reading it)."""

    def get(self, request, slug, token):
        job = get_object_or_404(Import, token=token, bijeenkomst=self.bijeenkomst)
        return render(
            request,
            "bijeenkomsten/import_voortgang.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "import": job,
                "klaar": job.status == Import.Status.KLAAR,
                "mislukt": job.status == Import.Status.MISLUKT,
                "samenvatting": _summary(job),
            },
        )


def _summary(job) -> str:
    return ngettext(
        "%(aantal)s aanmelding geïmporteerd: %(bevestigd)s bevestigd, "
        "%(wachtlijst)s op de wachtlijst.",
        "%(aantal)s aanmeldingen geïmporteerd: %(bevestigd)s bevestigd, "
        "%(wachtlijst)s op de wachtlijst.",
        job.aantal,
    ) % {"aantal": job.aantal, "bevestigd": job.bevestigd, "wachtlijst": job.wachtlijst}


# Check-in at the door


def _chosen_session(request, deelsessies):
    """The deelsessie of the door list's filter (`?sessie=`); none for an unknown one."""
    return next((s for s in deelsessies if str(s.pk) == request.GET.get("sessie", "")), None)


class AanwezigheidView(CoordinatorPage):
    """The door list: confirmed attendees, searchable, with one tap to check someone in."""

    permission = staticmethod(can_check_in)

    def get(self, request, slug):
        zoek = search_term(request.GET.get("q"))
        deelsessies = selectors.deelsessies_van(self.bijeenkomst)
        sessie = _chosen_session(request, deelsessies)
        aanmeldingen = selectors.aanwezigheidslijst(
            bijeenkomst=self.bijeenkomst, zoek=zoek, sessie=sessie
        )
        page = Paginator(aanmeldingen, ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "bijeenkomsten/aanwezigheid.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "zoek": zoek,
                "deelsessies": deelsessies,
                "sessie": sessie,
                "page_obj": page,
                "aanmeldingen": page.object_list,
                "telling": selectors.aanwezigheid(bijeenkomst=self.bijeenkomst),
                "terug": request.get_full_path(),
                "ter_plekke_form": TerPlekkeForm(),
                "mag_badges_printen": can_print_badges(request.user, self.bijeenkomst),
            },
        )


class BadgesView(CoordinatorPage):
    """The name badges of the door list's people (all of them, or one deelsessie's) as a
    PDF of A4 label sheets (bijeenkomsten.badges), by name as the list is."""

    permission = staticmethod(can_print_badges)

    def get(self, request, slug):
        sessie = _chosen_session(request, selectors.deelsessies_van(self.bijeenkomst))
        aanmeldingen = selectors.aanwezigheidslijst(bijeenkomst=self.bijeenkomst, sessie=sessie)

        def checkin_url(aanmelding):
            return request.build_absolute_uri(
                reverse(
                    "bijeenkomsten:badge",
                    kwargs={"slug": slug, "code": badges.code_for(aanmelding)},
                )
            )

        pdf = badges.badges_pdf(
            aanmeldingen.iterator(chunk_size=500),
            bijeenkomst=self.bijeenkomst,
            checkin_url=checkin_url,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"badges-{slug}" + (f"-sessie-{sessie.pk}" if sessie else "") + ".pdf"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response


class BadgeView(CoordinatorPage):
    """Where a badge's QR code leads: the person, and the button that checks them in."""

    permission = staticmethod(can_print_badges)

    def get(self, request, slug, code):
        aanmelding = badges.aanmelding_for_code(code, bijeenkomst=self.bijeenkomst)
        if aanmelding is None:
            raise Http404(_("Deze badge hoort niet bij deze bijeenkomst."))
        return render(
            request,
            "bijeenkomsten/badge.html",
            {
                "bijeenkomst": self.bijeenkomst,
                "aanmelding": aanmelding,
                "sessiekeuzes": selectors.sessiekeuzes_van(aanmelding),
                "mag_aanwezig_melden": can_check_in(request.user, self.bijeenkomst),
            },
        )


class WalkInView(FormPageActionView):
    """Register someone who arrives without a registration: bevestigd and present at once
    (`services.register_walk_in`). The form is on the door list; this page shows it again
    with its errors."""

    form_class = TerPlekkeForm
    template_name = "bijeenkomsten/ter_plekke.html"

    def get_object(self):
        return get_object_or_404(Bijeenkomst, slug=self.kwargs["slug"])

    def has_permission(self, user, bijeenkomst):
        return can_check_in(user, bijeenkomst)

    def get_page_context(self):
        return {"bijeenkomst": self.object}

    def perform(self, form):
        return services.register_walk_in(
            bijeenkomst=self.object, door=self.request.user, **form.cleaned_data
        )

    def success_message(self, aanmelding):
        return _("%(naam)s is ter plekke aangemeld en aanwezig gemeld.") % {"naam": aanmelding.naam}

    def get_success_url(self, aanmelding):
        url = reverse("bijeenkomsten:aanwezigheid", kwargs={"slug": self.object.slug})
        return f"{url}#aanmelding-{aanmelding.pk}"


class CheckInActionView(ActionView):
    """Check in or undo from the door list or the personal page; back to where it was."""

    service = None
    message = None

    def get_object(self):
        return get_object_or_404(
            Aanmelding.objects.select_related("bijeenkomst"),
            pk=self.kwargs["pk"],
            bijeenkomst__slug=self.kwargs["slug"],
        )

    def has_permission(self, user, aanmelding):
        return can_check_in(user, aanmelding.bijeenkomst)

    def perform(self):
        return self.service(aanmelding=self.object, door=self.request.user)

    def success_message(self, aanmelding):
        return self.message % {"naam": aanmelding.naam}

    def default_url(self):
        url = reverse("bijeenkomsten:aanwezigheid", kwargs={"slug": self.kwargs["slug"]})
        return f"{url}#aanmelding-{self.object.pk}"


class CheckInView(CheckInActionView):
    service = staticmethod(services.check_in)
    message = gettext_lazy("%(naam)s is aanwezig gemeld.")


class UndoCheckInView(CheckInActionView):
    service = staticmethod(services.undo_check_in)
    message = gettext_lazy("De aanwezigheid van %(naam)s is ongedaan gemaakt.")


# Exports


class ExportView(CoordinatorPage):
    """Choose who and which format; with a format in the query the file itself comes back."""

    permission = staticmethod(can_export)

    def get(self, request, slug):
        if "formaat" not in request.GET:
            return self._page(ExportForm())
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self._page(form, status=400)
        keuze, formaat = form.cleaned_data["keuze"], form.cleaned_data["formaat"]
        vragen = services.registration_questions(self.bijeenkomst)
        rows = selectors.zichtbare_aanmeldingen(
            selectors.voor_export(bijeenkomst=self.bijeenkomst, keuze=keuze, vragen=vragen),
            persoon=request.user,
            bijeenkomst=self.bijeenkomst,
        )
        aanmeldingen = selectors.met_open_sessiekeuzes(
            rows.iterator(chunk_size=500),
            bijeenkomst=self.bijeenkomst,
        )
        filename = "{slug}-{keuze}-{datum}.{formaat}".format(
            slug=self.bijeenkomst.slug,
            keuze="lopend" if keuze == "open" else keuze,
            datum=timezone.localdate().isoformat(),
            formaat=formaat,
        )
        if formaat == "csv":
            response = StreamingHttpResponse(
                exports.csv_chunks(aanmeldingen, vragen), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = content_disposition_header(True, filename)
        else:
            response = FileResponse(
                exports.xlsx_file(aanmeldingen, title=_sheet_title(keuze), vragen=vragen),
                as_attachment=True,
                filename=filename,
                content_type=exports.XLSX_CONTENT_TYPE,
            )
        response["Cache-Control"] = "private, no-store"
        return response

    def _page(self, form, status=200):
        return render(
            self.request,
            "bijeenkomsten/export.html",
            {"bijeenkomst": self.bijeenkomst, "form": form},
            status=status,
        )


def _sheet_title(keuze: str) -> str:
    if keuze == "open":
        return _("Lopende aanmeldingen")
    return str(capfirst(Aanmelding.Status(keuze).label))
