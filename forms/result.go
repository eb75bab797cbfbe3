package forms

import (
	"fmt"
	"strings"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// ResultReceipt renders the "Giấy biên nhận trả kết quả" signed when the
// result goes back to the applicant.
func ResultReceipt(o Office, d *app.Dossier) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.ResultReceipt", app.KindInvalid, app.MsgFormNoDossier)
	}
	return resultReceipt(o, d, app.UserRef{})
}

func resultReceipt(o Office, d *app.Dossier, officer app.UserRef) ([]byte, error) {
	x, err := newDoc(o, KindResultReceipt, false)
	if err != nil {
		return nil, err
	}
	ret := app.ReturnInfo{}
	if d.Return != nil {
		ret = *d.Return
	}
	at := ret.At
	if at.IsZero() {
		at = d.ReturnedAt
	}
	by := ret.By
	if by.FullName == "" {
		by, _ = actor(d, officer, app.ActReturn)
	}
	x.forDossier(o, d.Code)
	x.beginCopy("")
	x.header(o, "", at)
	x.title("!" + x.common("dossier_code") + ": " + d.Code)
	x.applicant(x.label("intro", "unit", unitName(o)), d)
	x.request(d)
	to := name(ret.To)
	if ret.ToID != "" {
		to += " (" + ret.ToID + ")"
	}
	x.field(x.label("received_by"), to)
	x.gap(1)
	x.para("", x.label("results"))
	t := &pdfkit.Table{
		Widths: []float64{10, 45, 40, 75},
		Aligns: []string{"C", "L", "L", "L"},
		Head: pdfkit.Grid(4, [][]pdfkit.Span{{{Text: x.label("col_no")}, {Text: x.label("col_kind")}, {Text: x.label("col_number")},
			{Text: x.label("col_summary")}}}),
		Size: x.body - 1,
	}
	var rows [][]string
	if r := d.Result; r != nil {
		date := r.Date
		if t, err := parseDay(r.Date); err == nil {
			date = app.ShortDate(t)
		}
		rows = append(rows, []string{"1", r.Kind, joinNonEmpty(", ", r.Number, date), r.Summary})
		// the other papers handed back: their name and how many originals,
		// never the internal file name of a scan
		for i, f := range r.Files {
			rows = append(rows, []string{fmt.Sprint(i + 2), f.Name, "", x.copies(f)})
		}
	}
	x.drawTable(t, rows, 0)
	sigs := []sig{
		{x.label("sign_left"), x.common("sign_note"), by.FullName},
		{x.label("sign_right"), x.common("sign_note"), ret.To},
	}
	tail := [][]seg{x.fieldSegs(x.label("returned_at"), app.LongDateTime(at)), x.fieldSegs(x.label("method"), x.returnMethod(ret.Method))}
	if ret.Originals != "" {
		tail = append(tail, x.fieldSegs(x.label("originals"), ret.Originals))
	}
	if ret.Note != "" {
		tail = append(tail, x.fieldSegs(x.common("note"), ret.Note))
	}
	h := 0.0
	for _, s := range tail {
		h += x.richHeight(0, s...)
	}
	x.keepWithSig(h, sigs...)
	for _, s := range tail {
		x.rich(0, s...)
	}
	x.signatures(sigs...)
	return x.output()
}

// copies is "01 bản chính, 02 bản sao" for a paper handed back.
func (x *doc) copies(f app.SubmittedDocument) string {
	var parts []string
	for _, c := range []struct {
		n   int
		key string
	}{{f.Originals, "n_originals"}, {f.Copies, "n_copies"}, {f.Photocopies, "n_photocopies"}} {
		if c.n > 0 {
			parts = append(parts, x.label(c.key, "n", fmt.Sprintf("%02d", c.n)))
		}
	}
	return strings.Join(parts, ", ")
}

func (x *doc) returnMethod(m app.ReturnMethod) string {
	switch m {
	case app.ReturnPostal:
		return x.label("method_postal")
	case app.ReturnOnline:
		return x.label("method_online")
	}
	return x.label("method_in_person")
}
