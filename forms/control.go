package forms

import (
	"fmt"
	"strings"

	"motcua/app"
)

// ControlSheet renders form 06 (04 in the 2018 set), "Phiếu kiểm soát quá
// trình giải quyết hồ sơ": one table row per hand-over leg.
func ControlSheet(o Office, d *app.Dossier) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.ControlSheet", app.KindInvalid, app.MsgFormNoDossier)
	}
	x, err := newDoc(o, KindControl, false)
	if err != nil {
		return nil, err
	}
	x.beginCopy("")
	x.header(o, "", d.ReceivedAt, QRText(d.Code, d.ProcedureCode, o.lookup()))
	x.title(x.label("attached", "code", d.Code))
	x.field(x.common("dossier_code"), d.Code)
	x.field(x.common("applicant"), d.Applicant.FullName)
	x.field(x.common("address"), d.Applicant.Address)
	x.request(d)
	x.field(x.label("received_at"), VNDateTime(d.ReceivedAt))
	due := VNDateTime(d.DueAt)
	if due == "" {
		due = x.common("no_due")
	}
	x.field(x.label("due_at"), due)
	handler := d.Unit
	if handler == "" {
		handler = unitName(o)
	}
	x.field(x.label("handler"), handler)
	var partners []string
	for _, t := range d.Transfers {
		name := joinNonEmpty(" ", t.ToName, "("+t.ToAgency+")")
		if t.ToName == "" {
			name = t.ToAgency
		}
		if name != "" && !contains(partners, name) {
			partners = append(partners, name)
		}
	}
	x.field(x.label("partners"), orNone(strings.Join(partners, "; "), x.common("none")))
	x.gap(1)

	t := &table{
		widths: []float64{34, 28, 21, 21, 41, 25},
		aligns: []string{"L", "C", "C", "C", "C", "L"},
		head: [][]hcell{
			{{text: x.label("col_agency"), rows: 2}, {text: x.label("col_time"), span: 3},
				{text: x.label("col_result"), rows: 2}, {text: x.label("col_note"), rows: 2}},
			{{text: x.label("col_at")}, {text: x.label("col_giver")}, {text: x.label("col_taker")}},
		},
		size:  9.5,
		hsize: 9,
	}
	rows := make([][]string, 0, len(d.Legs))
	for _, l := range d.Legs {
		agency := fmt.Sprintf("1. %s: %s\n2. %s: %s", x.label("give"), orDots(l.FromUnit), x.label("take"), orDots(l.ToUnit))
		result := l.Outcome.Label()
		if !l.Deadline.IsZero() {
			result = joinNonEmpty("\n", result, x.label("deadline")+": "+shortDateTime(l.Deadline))
		}
		if !l.FinishedAt.IsZero() {
			result = joinNonEmpty("\n", result, x.label("finished")+": "+shortDateTime(l.FinishedAt))
		}
		note := joinNonEmpty("\n", l.Note, l.TransferID)
		rows = append(rows, []string{agency, VNDateTime(l.At), "\n\n" + l.FromUser.FullName, "\n\n" + l.ToUser.FullName, result, note})
	}
	x.drawTable(t, rows)
	if len(d.Legs) == 0 {
		x.para("I", x.label("no_legs"))
	}
	return x.output()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}
