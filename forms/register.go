package forms

import (
	"fmt"
	"time"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// Register renders form 07 (06 in the 2018 set), "Sổ theo dõi hồ sơ", on A4
// landscape: one row per dossier in the given order, the header row repeated
// on every page. from and to only label the period; the caller selects rows.
func Register(o Office, from, to time.Time, rows []app.Dossier, book string) ([]byte, error) {
	x, err := newDoc(o, KindRegister, true)
	if err != nil {
		return nil, err
	}
	period := x.label("period", "from", app.LongDate(from), "to", app.LongDate(to))
	x.contLine = joinNonEmpty(" - ", x.form.Short, period)
	if book != "" {
		x.contLine += " - " + x.label("book") + ": " + book
	}
	x.Face = pdfkit.Serif
	x.footerNote = x.clean(o.Digest) // footer hook: the office's daily digest
	x.beginCopy("")
	x.header(o, "", to)
	sub := []string{}
	if book != "" {
		sub = append(sub, "!"+x.label("book")+": "+book)
	}
	sub = append(sub, period)
	x.title(sub...)

	// Serif: Liberation Serif sets a name in 13 % less width than Noto Sans.
	// 275 mm: the signature column is 26 mm; codes, names and dates shrink
	// rather than break, so that a row is about three lines high and a page
	// holds ten rows or more.
	t := &pdfkit.Table{
		Widths: []float64{7, 31, 25, 10, 33, 30, 26, 13, 13, 24, 13, 13, 26, 11},
		Aligns: []string{"C", "L", "L", "C", "L", "L", "L", "C", "C", "L", "C", "C", "C", "L"},
		Head: pdfkit.Grid(14, [][]pdfkit.Span{
			{{Text: x.label("col_no"), Rows: 2}, {Text: x.label("col_code"), Rows: 2}, {Text: x.label("col_procedure"), Rows: 2},
				{Text: x.label("col_sets"), Rows: 2}, {Text: x.label("col_applicant"), Rows: 2}, {Text: x.label("col_address"), Rows: 2},
				{Text: x.label("col_agency"), Rows: 2}, {Text: x.label("col_received"), Rows: 2}, {Text: x.label("col_due"), Rows: 2},
				{Text: x.label("col_transfer"), Rows: 2}, {Text: x.label("col_result"), Rows: 2}, {Text: x.label("col_return"), Cols: 2},
				{Text: x.label("col_note"), Rows: 2}},
			{{Text: x.label("col_return_date")}, {Text: x.label("col_return_sign")}},
		}),
		Size:     7,
		HeadSize: 7,
		Pad:      0.6,
		NoBreak:  []bool{true, true, false, true, true, false, false, true, true, false, true, true, false, false},
	}
	cells := make([][]string, 0, len(rows))
	for i := range rows {
		d := &rows[i]
		no := d.RegisterRow
		if no == 0 {
			no = i + 1
		}
		agency := unitName(o)
		transfer := ""
		if n := len(d.Transfers); n > 0 {
			tr := d.Transfers[n-1]
			agency = orNone(tr.ToName, tr.ToAgency)
			transfer = joinNonEmpty("\n", agency, app.ShortDateTime(tr.CreatedAt))
		} else if len(d.Legs) > 0 {
			l := d.Legs[0]
			transfer = joinNonEmpty("\n", l.ToUnit, app.ShortDateTime(l.At))
		}
		result := ""
		if d.Result != nil && !d.Result.RecordedAt.IsZero() {
			result = cellDateTime(d.Result.RecordedAt)
		} else if d.State.Finished() {
			result = cellDateTime(d.FinishedAt)
		}
		note := d.State.Label()
		if len(d.Delays) > 0 {
			note = joinNonEmpty("; ", note, x.label("rescheduled", "date", app.ShortDate(d.Delays[len(d.Delays)-1].NewDue)))
		}
		cells = append(cells, []string{
			fmt.Sprint(no), d.Code, joinNonEmpty(" - ", d.ProcedureCode, d.ProcedureName), fmt.Sprint(max(d.Sets, 1)),
			applicantName(d.Applicant), joinNonEmpty("; ", d.Applicant.Address, pdfkit.Glue(d.Applicant.Phone)), agency,
			cellDateTime(d.ReceivedAt), cellDateTime(d.DueAt), transfer, result, cellDateTime(d.ReturnedAt), "", note,
		})
	}
	x.body = 10
	x.lineH = 5
	x.drawTable(t, cells, x.lineH)
	if len(rows) == 0 {
		x.para("I", x.label("empty"))
	} else {
		x.para("B", x.label("total", "n", fmt.Sprint(len(rows))))
	}
	return x.output()
}

// applicantName glues a person's name; an organisation's name may wrap.
func applicantName(p app.Person) string {
	if p.Kind == app.ApplicantCitizen || p.Kind == 0 {
		return name(p.FullName)
	}
	return p.FullName
}

// cellDateTime puts the date over the time so that a narrow column never
// breaks inside the date.
func cellDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return app.ShortDate(t) + "\n" + app.HourMinute(t)
}
