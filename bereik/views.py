"""The reach report for coördinatoren and beheerders: the page and its XLSX export."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views import View

from bereik import exports, selectors
from bereik.charts import grafiek
from bereik.forms import PeriodeForm
from bereik.permissions import can_view_bereik


class _BereikBase(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_bereik(request.user):
            raise PermissionDenied
        default = selectors.standaard_periode()
        if request.GET:
            self.form = PeriodeForm(request.GET)
        else:
            self.form = PeriodeForm(initial={"van": default.van, "tot": default.tot})
        if self.form.is_bound and self.form.is_valid():
            self.periode = selectors.Periode(
                van=self.form.cleaned_data["van"], tot=self.form.cleaned_data["tot"]
            )
        else:
            self.periode = default
        return super().dispatch(request, *args, **kwargs)


class BereikView(_BereikBase):
    def get(self, request):
        report = selectors.bereik(self.periode)
        tabellen = [(tabel, grafiek(tabel)) for tabel in report["tabellen"]]
        bijeenkomsten = report["bijeenkomsten"]
        return render(
            request,
            "bereik/bereik.html",
            {
                "form": self.form,
                "periode": self.periode,
                "tabellen": tabellen,
                "bijeenkomsten": bijeenkomsten,
                "bijeenkomsten_getoond": bijeenkomsten.rijen[: selectors.BIJEENKOMSTEN_SHOWN],
                "totalen": report["totalen"],
                "query": request.GET.urlencode(),
            },
            status=400 if self.form.is_bound and not self.form.is_valid() else 200,
        )


class BereikExportView(_BereikBase):
    def get(self, request):
        report = selectors.bereik(self.periode)
        # A report of aggregates is small: read into memory, the temporary file closed here.
        with exports.xlsx(report, periode=self.periode) as output:
            content = output.read()
        name = f"bereik-{self.periode.van:%Y%m%d}-{self.periode.tot:%Y%m%d}.xlsx"
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, no-store"
        return response
