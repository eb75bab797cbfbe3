package forms

import (
	"fmt"

	"motcua/app"
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
	x.beginCopy("")
	x.header(o, "", at, QRText(d.Code, d.ProcedureCode, o.lookup()))
	x.title("!" + x.common("dossier_code") + ": " + d.Code)
	x.applicant(x.label("intro", "unit", unitName(o)), d)
	x.request(d)
	to := ret.To
	if ret.ToID != "" {
		to += " (" + ret.ToID + ")"
	}
	x.field(x.label("received_by"), to)
	x.gap(1)
	x.para("", x.label("results"))
	t := &table{
		widths: []float64{10, 45, 40, 75},
		aligns: []string{"C", "L", "L", "L"},
		head: [][]hcell{{{text: x.label("col_no")}, {text: x.label("col_kind")}, {text: x.label("col_number")},
			{text: x.label("col_summary")}}},
		size: 11,
	}
	var rows [][]string
	if r := d.Result; r != nil {
		date := r.Date
		if t, err := parseDay(r.Date); err == nil {
			date = shortDate(t)
		}
		rows = append(rows, []string{"1", r.Kind, joinNonEmpty(", ", r.Number, date), r.Summary})
		for i, f := range r.Files {
			rows = append(rows, []string{fmt.Sprint(i + 2), f.Name, "", joinNonEmpty(", ", count(f.Originals), f.FileName)})
		}
	}
	x.drawTable(t, rows)
	x.field(x.label("returned_at"), VNDateTime(at))
	x.field(x.label("method"), x.returnMethod(ret.Method))
	if ret.Originals != "" {
		x.field(x.label("originals"), ret.Originals)
	}
	if ret.Note != "" {
		x.field(x.common("note"), ret.Note)
	}
	x.signatures(
		sig{x.label("sign_left"), x.common("sign_note"), by.FullName},
		sig{x.label("sign_right"), x.common("sign_note"), ret.To},
	)
	return x.output()
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
