package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"motcua/app"
	"motcua/forms"
)

// The statistics table is described once and drawn by both the PDF and the
// Excel writer: 17 columns under a three-row header with merged groups.

const statCols = 17

// hcell is one header cell spanning rows × cols from (row, col).
type hcell struct {
	row, col, rows, cols int
	text                 string
}

func statHeader(by app.GroupBy) []hcell {
	name := "Lĩnh vực"
	if by == app.ByProcedure {
		name = "Lĩnh vực, thủ tục hành chính"
	}
	return []hcell{
		{0, 0, 3, 1, "STT"},
		{0, 1, 3, 1, name},
		{0, 2, 1, 4, "Số hồ sơ nhận giải quyết"},
		{1, 2, 2, 1, "Tổng số"},
		{1, 3, 1, 3, "Trong đó"},
		{2, 3, 1, 1, "Số kỳ trước chuyển qua"},
		{2, 4, 1, 1, "Số mới tiếp nhận trực tuyến"},
		{2, 5, 1, 1, "Số mới tiếp nhận trực tiếp, bưu chính"},
		{0, 6, 1, 4, "Số hồ sơ đã giải quyết"},
		{1, 6, 2, 1, "Tổng số"},
		{1, 7, 2, 1, "Trước hạn"},
		{1, 8, 2, 1, "Đúng hạn"},
		{1, 9, 2, 1, "Quá hạn"},
		{0, 10, 1, 3, "Số hồ sơ đang giải quyết"},
		{1, 10, 2, 1, "Tổng số"},
		{1, 11, 2, 1, "Trong hạn"},
		{1, 12, 2, 1, "Quá hạn"},
		{0, 13, 3, 1, "Số lượt yêu cầu bổ sung"},
		{0, 14, 3, 1, "Số hồ sơ dừng xử lý"},
		{0, 15, 3, 1, "Số hồ sơ công dân rút"},
		{0, 16, 3, 1, "Tỷ lệ giải quyết trước hạn, đúng hạn (%)"},
	}
}

// colNumbers is the row of column numbers under the header, with the sums
// officials check.
var colNumbers = [statCols]string{"(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)", "(8)", "(9)", "(10)",
	"(11)=(12)+(13)", "(12)", "(13)", "(14)", "(15)", "(16)", "(17)=((8)+(9))/(7)"}

// line is one body row of the table.
type line struct {
	no, name string
	bold     bool
	r        app.ReportRow
}

// values are the 15 figures of a row (columns 3–17); the rate is -1 when
// nothing was resolved.
func values(r app.ReportRow) (n [14]int, rate float64) {
	n = [14]int{r.Received(), r.CarriedOver, r.NewOnline, r.NewOther, r.Resolved(), r.Early, r.OnTime, r.Late,
		r.Open(), r.OpenWithin, r.OpenOverdue, r.Supplement, r.Stopped, r.Withdrawn}
	rate = -1
	if r.Resolved() > 0 {
		rate = r.OnTimeRate()
	}
	return n, rate
}

// rateText is "97,5" (Vietnamese decimal comma), "-" when nothing was resolved.
func rateText(rate float64) string {
	if rate < 0 {
		return "-"
	}
	return strings.Replace(strconv.FormatFloat(rate, 'f', 1, 64), ".", ",", 1)
}

var roman = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
	"XVI", "XVII", "XVIII", "XIX", "XX"}

func romanNumeral(i int) string {
	if i < len(roman) {
		return roman[i]
	}
	return fmt.Sprint(i + 1)
}

// lines lays the report out: by field, one numbered row per field; by
// procedure, a bold subtotal row per field (I, II…) over its procedures
// (1, 2…). The total comes last.
func lines(rep *app.Report) []line {
	var out []line
	if rep.By != app.ByProcedure {
		for i, r := range rep.Rows {
			out = append(out, line{no: fmt.Sprint(i + 1), name: r.Name, r: r})
		}
	} else {
		for i := 0; i < len(rep.Rows); {
			j := i
			var sub app.ReportRow
			for j < len(rep.Rows) && rep.Rows[j].Field == rep.Rows[i].Field {
				sub = addRows(sub, rep.Rows[j])
				j++
			}
			out = append(out, line{no: romanNumeral(len(groupsBefore(out))), name: "Lĩnh vực " + rep.Rows[i].Field, bold: true, r: sub})
			for k := i; k < j; k++ {
				r := rep.Rows[k]
				out = append(out, line{no: fmt.Sprint(k - i + 1), name: procName(r), r: r})
			}
			i = j
		}
	}
	return append(out, line{name: "Tổng cộng", bold: true, r: rep.Total})
}

func groupsBefore(ls []line) []line {
	var g []line
	for _, l := range ls {
		if l.bold {
			g = append(g, l)
		}
	}
	return g
}

func procName(r app.ReportRow) string {
	if r.Name == "" || r.Name == r.Key {
		return r.Key
	}
	return r.Name + " (" + r.Key + ")"
}

func addRows(a, b app.ReportRow) app.ReportRow {
	a.CarriedOver += b.CarriedOver
	a.NewOnline += b.NewOnline
	a.NewOther += b.NewOther
	a.Early += b.Early
	a.OnTime += b.OnTime
	a.Late += b.Late
	a.OpenWithin += b.OpenWithin
	a.OpenOverdue += b.OpenOverdue
	a.Supplement += b.Supplement
	a.Stopped += b.Stopped
	a.Withdrawn += b.Withdrawn
	return a
}

// periodLine is "Kỳ báo cáo: Quý I năm 2026 (Từ ngày 15/12/2025 đến ngày 14/03/2026)".
func periodLine(rep *app.Report) string {
	s := "Kỳ báo cáo: " + rep.Period.Label()
	if rep.Period.Kind != app.PeriodKindCustom {
		s += " (" + lowerFirst(rep.Period.Range()) + ")"
	}
	return s
}

// provisionalLine warns that a period that has not ended is counted up to
// the end of AsOf's previous day.
func provisionalLine(rep *app.Report) string {
	if !rep.Provisional {
		return ""
	}
	last := rep.AsOf.AddDate(0, 0, -1).In(app.Vietnam)
	return fmt.Sprintf("Số liệu tạm tính đến hết ngày %02d/%02d/%d", last.Day(), int(last.Month()), last.Year())
}

func lowerFirst(s string) string {
	if strings.HasPrefix(s, "Từ") {
		return "từ" + s[len("Từ"):]
	}
	return s
}

// dateLine is "{place}, ngày 20 tháng 6 năm 2025".
func dateLine(ag app.Agency, t time.Time) string {
	place := ag.Place
	if place == "" {
		place = ag.Name
	}
	long := forms.VNDate(t)
	if place == "" {
		return long
	}
	return place + ", " + long
}
