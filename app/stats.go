package app

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Periodic statistics (báo cáo tình hình, kết quả giải quyết TTHC), domain.md §7.
//
// The report is never computed from the dossiers themselves: a full scan costs
// ~0.6 s per 100,000 dossiers. Instead every dossier contributes a few marks,
// (day, counter), to per-day per-procedure counters that the store keeps in
// the same transaction as the dossier (DossierStats says which marks; the
// store subtracts the old ones and adds the new ones on every write). Every
// figure of the report is then a sum of counters over days, because every
// comparison the report makes is against a period boundary, which is a
// midnight in Vietnam time:
//
//   - new in the period, resolved by outcome, stopped, withdrawn, supplement
//     requests: the counters of the days in [From, To);
//   - carried over (received before From, still open at From): the received
//     counters before From minus the ended counters (resolved, stopped,
//     withdrawn) before From — a dossier never ends before it is received;
//   - open at the end: carried over + new − ended in the period;
//   - of which overdue (StatsDue < To): the dossiers whose due day is before
//     To (counter Due, on the due day) minus those that also ended before To
//     (counter DueClosed, on the later of the due day and the end day).
//
// The cost is one walk over the counter keys of the days before To: at most
// (days with activity) × (procedures), about 10,000 keys for three years of
// the seed catalogue, whatever the number of dossiers (2 ms measured at 10k,
// 100k and 1M dossiers).
//
// Two consequences of counting from the dossiers as they are now: a past
// period's "overdue at the end" uses the dossier's current StatsDue (a
// supplement received after the period moves it, a delay does not), and a
// supplement is counted once per request (round), not once per dossier.

// Day is a calendar date in the Vietnam zone, as days since 1970-01-01.
type Day int32

// DayOf returns t's date in the Vietnam zone.
func DayOf(t time.Time) Day {
	const off = 7 * 3600
	s := t.Unix() + off
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return Day(d)
}

// Time returns the day's midnight in the Vietnam zone.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400-7*3600, 0).In(Vietnam) }

// StatCounter names one of the per-day counters.
type StatCounter int

const (
	CtrReceivedOnline StatCounter = iota // received on the day, online channel
	CtrReceivedOther                     // received on the day, in person or by post
	CtrEarly                             // resolved on the day, before the due day
	CtrOnTime                            // resolved on the due day, not after the due time
	CtrLate                              // resolved after the due time
	CtrStopped                           // processing stopped on the day
	CtrWithdrawn                         // withdrawn on the day
	CtrSupplement                        // supplement requests made on the day
	CtrDue                               // dossiers whose appointment (StatsDue) falls on the day
	CtrDueClosed                         // dossiers with an appointment that ended, on max(due day, end day)
	NumStatCounters
)

// StatMark is one +1 of a dossier on a counter of a day.
type StatMark struct {
	Day     Day
	Counter StatCounter
}

// StatsFacts is a dossier's whole contribution to the counters: the marks,
// all under its field and procedure.
type StatsFacts struct {
	Field         string
	Procedure     string
	ProcedureName string
	Marks         []StatMark
}

// Counted reports whether a dossier appears in this office's statistics: it
// was received (not an online submission still waiting, not refused at
// intake), and not received by transfer from another agency (a transferred
// dossier is counted once, by the agency the citizen gave it to; §3.6).
func Counted(d *Dossier) bool {
	return d.State.Valid() && d.State != StateSubmitted && d.State != StateRefused &&
		d.Reference == "" && !d.ReceivedAt.IsZero()
}

// Ended reports whether the dossier's clock has ended: resolved, returned,
// stopped or withdrawn.
func Ended(s State) bool {
	return s.Finished() || s == StateStopped || s == StateWithdrawn
}

// StatsOutcome is the outcome a resolved dossier is counted under: the one
// recorded with the result, or (for imported data without one) Classify of
// the finish time against StatsDue; without an appointment date, on time when
// resolved the day it was received, early otherwise (as RecordResult does).
func StatsOutcome(d *Dossier) Outcome {
	if d.Outcome != OutcomeNone {
		return d.Outcome
	}
	end := endTime(d)
	if o := Classify(end, d.StatsDue); o != OutcomeNone {
		return o
	}
	if DayOf(end) == DayOf(d.ReceivedAt) {
		return OutcomeOnTime
	}
	return OutcomeEarly
}

// endTime is when the clock ended; a record without FinishedAt (damaged or
// imported) falls back to its last update.
func endTime(d *Dossier) time.Time {
	switch {
	case !d.FinishedAt.IsZero():
		return d.FinishedAt
	case !d.UpdatedAt.IsZero():
		return d.UpdatedAt
	}
	return d.ReceivedAt
}

// DossierStats returns the marks of a dossier; ok is false when it is not
// counted at all. Days are clamped to the receipt day, so that a dossier is
// never counted as ended, due or supplemented before it was received.
func DossierStats(d *Dossier) (f StatsFacts, ok bool) {
	if !Counted(d) {
		return StatsFacts{}, false
	}
	f = StatsFacts{Field: d.Field, Procedure: d.ProcedureCode, ProcedureName: d.ProcedureName}
	recv := DayOf(d.ReceivedAt)
	mark := func(day Day, c StatCounter) { f.Marks = append(f.Marks, StatMark{max(day, recv), c}) }
	if d.Channel == ChannelOnline {
		mark(recv, CtrReceivedOnline)
	} else {
		mark(recv, CtrReceivedOther)
	}
	ended := Ended(d.State)
	end := max(DayOf(endTime(d)), recv)
	if ended {
		switch {
		case d.State == StateStopped:
			mark(end, CtrStopped)
		case d.State == StateWithdrawn:
			mark(end, CtrWithdrawn)
		default:
			switch StatsOutcome(d) {
			case OutcomeEarly:
				mark(end, CtrEarly)
			case OutcomeLate:
				mark(end, CtrLate)
			default:
				mark(end, CtrOnTime)
			}
		}
	}
	for _, r := range d.Supplements {
		if !r.RequestedAt.IsZero() {
			mark(DayOf(r.RequestedAt), CtrSupplement)
		}
	}
	// A dossier waiting for the citizen (5) or for fees (6) is neither
	// within time nor overdue by its date: its clock stands still until the
	// papers or the payment arrive (§5.4), so it has no due mark meanwhile
	// and counts as open within time.
	if !d.StatsDue.IsZero() && !Waiting(d.State) {
		due := max(DayOf(d.StatsDue), recv)
		mark(due, CtrDue)
		if ended {
			mark(max(due, end), CtrDueClosed)
		}
	}
	return f, true
}

// DayStats is the counters of one day for one procedure (under one field).
type DayStats struct {
	Day       Day
	Field     string
	Procedure string
	N         [NumStatCounters]int64
}

// StatsTx is what the statistics need from a store transaction, beyond Tx.
// storage's transactions implement it; Service asserts it from Tx.
type StatsTx interface {
	// DailyStats calls fn with every stored counter row whose day is in
	// [from, to), in day order.
	DailyStats(from, to Day, fn func(DayStats) error) error
	// StatsProcedureNames returns the name last seen on a counted dossier of
	// each procedure (for procedures no longer in the catalogue).
	StatsProcedureNames() (map[string]string, error)
}

// PeriodKind is the length of a reporting period.
type PeriodKind string

const (
	PeriodKindMonth   PeriodKind = "month"
	PeriodKindQuarter PeriodKind = "quarter"
	PeriodKindHalf    PeriodKind = "half"
	PeriodKindYear    PeriodKind = "year"
	PeriodKindCustom  PeriodKind = "custom"
)

// Period is a reporting period [From, To): both are midnights in the Vietnam
// zone, To is the day after the last day.
type Period struct {
	Kind PeriodKind
	Year int // the reporting year (of the last month)
	N    int // month 1–12, quarter 1–4, half 1–2; 0 for a year or a custom period
	From time.Time
	To   time.Time
}

// periodMonths spans n months starting with month first of year. With a
// cut-off day c in 2..28 the official period runs from day c of the month
// before to day c-1 of the last month (c = 15: 15/12 – 14/3 for the first
// quarter); with c ≤ 1 it is the calendar months.
func periodMonths(kind PeriodKind, year, n, first, months, cutoff int) Period {
	p := Period{Kind: kind, Year: year, N: n}
	if cutoff <= 1 || cutoff > 28 {
		p.From = time.Date(year, time.Month(first), 1, 0, 0, 0, 0, Vietnam)
		p.To = time.Date(year, time.Month(first+months), 1, 0, 0, 0, 0, Vietnam)
		return p
	}
	p.From = time.Date(year, time.Month(first-1), cutoff, 0, 0, 0, 0, Vietnam)
	p.To = time.Date(year, time.Month(first+months-1), cutoff, 0, 0, 0, 0, Vietnam)
	return p
}

// PeriodMonth is the reporting month (Settings.ReportCutoff as cutoff).
func PeriodMonth(year int, month time.Month, cutoff int) Period {
	return periodMonths(PeriodKindMonth, year, int(month), int(month), 1, cutoff)
}

// PeriodQuarter is the reporting quarter q (1–4).
func PeriodQuarter(year, q, cutoff int) Period {
	return periodMonths(PeriodKindQuarter, year, q, 3*(q-1)+1, 3, cutoff)
}

// PeriodHalf is the reporting half-year h (1–2).
func PeriodHalf(year, h, cutoff int) Period {
	return periodMonths(PeriodKindHalf, year, h, 6*(h-1)+1, 6, cutoff)
}

// PeriodYear is the reporting year.
func PeriodYear(year, cutoff int) Period {
	return periodMonths(PeriodKindYear, year, 0, 1, 12, cutoff)
}

// PeriodCustom is the period from first to last, both days included.
func PeriodCustom(first, last time.Time) Period {
	f, l := DayOf(first), DayOf(last)
	if l < f {
		f, l = l, f
	}
	return Period{Kind: PeriodKindCustom, Year: l.Time().Year(), From: f.Time(), To: (l + 1).Time()}
}

// Last is the last day of the period (its midnight).
func (p Period) Last() time.Time { return (DayOf(p.To) - 1).Time() }

var romanQuarters = []string{"", "I", "II", "III", "IV"}

// Label names the period in Vietnamese: "Tháng 02 năm 2026" (Decree 30 pads
// January and February), "Tháng 3 năm 2026", "Quý I năm 2026",
// "6 tháng đầu năm 2026", "Năm 2026", or the range for a custom period.
func (p Period) Label() string {
	switch p.Kind {
	case PeriodKindMonth:
		return "Tháng " + MonthNumber(time.Month(p.N)) + " năm " + strconv.Itoa(p.Year)
	case PeriodKindQuarter:
		if p.N >= 1 && p.N <= 4 {
			return fmt.Sprintf("Quý %s năm %d", romanQuarters[p.N], p.Year)
		}
	case PeriodKindHalf:
		if p.N == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case PeriodKindYear:
		return fmt.Sprintf("Năm %d", p.Year)
	}
	return p.Range()
}

// Range is "Từ ngày 15/12/2025 đến ngày 14/3/2026".
func (p Period) Range() string {
	return fmt.Sprintf("Từ ngày %s đến ngày %s", ShortDate(p.From), ShortDate(p.Last()))
}

// GroupBy is the row dimension of the report.
type GroupBy int

const (
	ByField     GroupBy = iota // one row per field (lĩnh vực)
	ByProcedure                // one row per procedure (thủ tục)
)

// ReportRow is one line of the statistics report.
type ReportRow struct {
	Key   string // field name, or procedure code
	Name  string // field name, or procedure name
	Field string // the field (for procedure rows)

	CarriedOver int // received before the period, still open at its start (kỳ trước chuyển qua)
	NewOnline   int // received in the period online (trực tuyến)
	NewOther    int // received in the period in person or by post (trực tiếp, bưu chính)

	Early  int // resolved in the period before the due day (trước hạn)
	OnTime int // resolved on the due day (đúng hạn)
	Late   int // resolved after the due time (quá hạn)

	OpenWithin  int // still open at the end, within time (trong hạn)
	OpenOverdue int // still open at the end, overdue (quá hạn)

	Supplement int // supplement requests made in the period (lượt yêu cầu bổ sung)
	Stopped    int // processing stopped in the period (dừng xử lý)
	Withdrawn  int // withdrawn in the period (công dân rút hồ sơ)
}

// New is the number received in the period.
func (r ReportRow) New() int { return r.NewOnline + r.NewOther }

// Received is the total to handle: carried over + new.
func (r ReportRow) Received() int { return r.CarriedOver + r.New() }

// Resolved is the number resolved in the period.
func (r ReportRow) Resolved() int { return r.Early + r.OnTime + r.Late }

// Open is the number still open at the end of the period.
func (r ReportRow) Open() int { return r.OpenWithin + r.OpenOverdue }

// OnTimeRate is the share of resolved dossiers resolved early or on time, in
// percent (100 when none was resolved).
func (r ReportRow) OnTimeRate() float64 {
	if r.Resolved() == 0 {
		return 100
	}
	return 100 * float64(r.Early+r.OnTime) / float64(r.Resolved())
}

func (r *ReportRow) add(o ReportRow) {
	r.CarriedOver += o.CarriedOver
	r.NewOnline += o.NewOnline
	r.NewOther += o.NewOther
	r.Early += o.Early
	r.OnTime += o.OnTime
	r.Late += o.Late
	r.OpenWithin += o.OpenWithin
	r.OpenOverdue += o.OpenOverdue
	r.Supplement += o.Supplement
	r.Stopped += o.Stopped
	r.Withdrawn += o.Withdrawn
}

// Report is the periodic statistics report.
type Report struct {
	Agency Agency
	Period Period
	By     GroupBy
	Rows   []ReportRow
	Total  ReportRow
	// AsOf is the instant open dossiers are measured at: Period.To, or the
	// end of today when the period has not ended yet (Provisional).
	AsOf        time.Time
	Provisional bool
	MadeAt      time.Time
	// Digest is the office's last sealed daily digest on or before the
	// period's last day (nil when there is none): printed in the footer, so
	// that the paper keeps a copy of the data's state off the PC.
	Digest *DailyDigest
	// RefusedOnline counts the online submissions refused in the period
	// (domain.md §3.7): never received, so in no column of the rows.
	RefusedOnline int
	// InterAgency counts the dossiers other agencies transferred here
	// (domain.md §3.6): inter-agency tasks, in no column of the rows.
	InterAgency InterAgencyTasks
}

// ReportTitle is the official title of the report (domain.md §7).
const ReportTitle = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"

// OtherField names the row of dossiers without a field.
const OtherField = "Lĩnh vực khác"

// Tally adds up counter rows into report rows. Feed it every row of the days
// before To (Add), then read the rows (Rows). It is the pure core of the
// report; the tests check it against a computation over the dossiers.
type Tally struct {
	from, to Day
	by       GroupBy
	groups   map[string]*tallyGroup
}

type tallyGroup struct {
	field, proc string
	before, in  [NumStatCounters]int64
}

// NewTally starts a tally of the days [from, to).
func NewTally(from, to Day, by GroupBy) *Tally {
	return &Tally{from: from, to: to, by: by, groups: map[string]*tallyGroup{}}
}

// Add counts one counter row; rows of To or later are ignored.
func (t *Tally) Add(r DayStats) {
	if r.Day >= t.to {
		return
	}
	field := r.Field
	if field == "" {
		field = OtherField
	}
	key := field
	if t.by == ByProcedure {
		key = r.Procedure
	}
	g := t.groups[key]
	if g == nil {
		g = &tallyGroup{field: field, proc: r.Procedure}
		t.groups[key] = g
	}
	dst := &g.in
	if r.Day < t.from {
		dst = &g.before
	}
	for i, n := range r.N {
		dst[i] += n
	}
}

// ensure adds an empty row (a catalogue entry with nothing to count).
func (t *Tally) ensure(field, proc string) {
	if field == "" {
		field = OtherField
	}
	key := field
	if t.by == ByProcedure {
		key = proc
	}
	if t.groups[key] == nil {
		t.groups[key] = &tallyGroup{field: field, proc: proc}
	}
}

func ended(n *[NumStatCounters]int64) int64 {
	return n[CtrEarly] + n[CtrOnTime] + n[CtrLate] + n[CtrStopped] + n[CtrWithdrawn]
}

// Rows returns the report rows, ordered by field (then procedure code), and
// their total. names gives procedure names by code (missing: the code).
func (t *Tally) Rows(names map[string]string) (rows []ReportRow, total ReportRow) {
	for key, g := range t.groups {
		b, in := &g.before, &g.in
		carried := b[CtrReceivedOnline] + b[CtrReceivedOther] - ended(b)
		open := carried + in[CtrReceivedOnline] + in[CtrReceivedOther] - ended(in)
		overdue := b[CtrDue] + in[CtrDue] - b[CtrDueClosed] - in[CtrDueClosed]
		r := ReportRow{Key: key, Name: key, Field: g.field,
			CarriedOver: int(carried), NewOnline: int(in[CtrReceivedOnline]), NewOther: int(in[CtrReceivedOther]),
			Early: int(in[CtrEarly]), OnTime: int(in[CtrOnTime]), Late: int(in[CtrLate]),
			OpenWithin: int(open - overdue), OpenOverdue: int(overdue),
			Supplement: int(in[CtrSupplement]), Stopped: int(in[CtrStopped]), Withdrawn: int(in[CtrWithdrawn])}
		if t.by == ByProcedure {
			r.Name = names[key]
			if r.Name == "" {
				r.Name = key
			}
		}
		rows = append(rows, r)
		total.add(r)
	}
	slices.SortFunc(rows, func(a, b ReportRow) int {
		return cmp.Or(cmp.Compare(Fold(a.Field), Fold(b.Field)), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Key, b.Key))
	})
	total.Key, total.Name = "", "Tổng cộng"
	return rows, total
}

// Statistics is the report for [from, to), grouped by field or procedure.
// Statistics count whole days in Vietnam time: from is moved back to its
// midnight and to forward to the next midnight (unless it is one).
func (s *Service) Statistics(from, to time.Time, by GroupBy) (*Report, error) {
	f := DayOf(from)
	t := DayOf(to)
	if !t.Time().Equal(to) {
		t++
	}
	if t <= f {
		return nil, E("Statistics", KindInvalid, MsgPeriodOrder)
	}
	return s.Report(Period{Kind: PeriodKindCustom, Year: (t - 1).Time().Year(), From: f.Time(), To: t.Time()}, by)
}

// Report is the statistics report of a period built by PeriodMonth,
// PeriodQuarter, PeriodHalf, PeriodYear or PeriodCustom. A period that has not
// ended yet is reported up to the end of today (Report.Provisional).
func (s *Service) Report(p Period, by GroupBy) (*Report, error) {
	const op = "Statistics"
	if !p.To.After(p.From) {
		return nil, E(op, KindInvalid, MsgPeriodOrder)
	}
	now := s.Now()
	rep := &Report{Period: p, By: by, AsOf: p.To, MadeAt: now}
	from, to := DayOf(p.From), DayOf(p.To)
	if today := DayOf(now); from > today {
		return nil, E(op, KindInvalid, MsgPeriodNotStarted)
	} else if to > today+1 {
		to, rep.Provisional, rep.AsOf = today+1, true, (today + 1).Time()
	}
	err := s.store.View(func(tx Tx) error {
		st, ok := txAs[StatsTx](tx)
		if !ok {
			return E(op, KindOther, MsgNoStatsStore)
		}
		if a, err := tx.Agency(); err == nil {
			rep.Agency = *a
		} else if !Is(err, KindNotFound) {
			return err
		}
		names, err := st.StatsProcedureNames()
		if err != nil {
			return err
		}
		tally := NewTally(from, to, by)
		ps, err := tx.Procedures()
		if err != nil {
			return err
		}
		for _, pr := range ps {
			names[pr.Code] = pr.Name
			if pr.Active {
				tally.ensure(pr.Field, pr.Code)
			}
		}
		if err := st.DailyStats(0, to, func(r DayStats) error { tally.Add(r); return nil }); err != nil {
			return err
		}
		rep.Rows, rep.Total = tally.Rows(names)
		if rep.RefusedOnline, err = refusedOnline(tx, p.From, to.Time()); err != nil {
			return err
		}
		if rep.InterAgency, err = interAgencyTasks(tx, p.From, to.Time()); err != nil {
			return err
		}
		if rep.Provisional {
			// The counters are per day: a dossier due later today counts
			// as overdue at the end of today. The period has not ended, so
			// "overdue" means overdue now: those are still within time.
			return notYetOverdue(tx, rep, by, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	last := p.Last()
	if now.Before(last) {
		last = now
	}
	if rep.Digest, err = s.LatestDigest(last); err != nil && !Is(err, KindPermission) {
		return nil, err
	}
	return rep, nil
}

// OfficialPeriod builds the reporting period of a kind with the office's
// cut-off day (Settings.ReportCutoff): n is the month, quarter or half (0 for
// a year).
func (s *Service) OfficialPeriod(kind PeriodKind, year, n int) (Period, error) {
	st, err := s.Settings()
	if err != nil {
		return Period{}, err
	}
	c := st.ReportCutoff
	switch {
	case kind == PeriodKindMonth && n >= 1 && n <= 12:
		return PeriodMonth(year, time.Month(n), c), nil
	case kind == PeriodKindQuarter && n >= 1 && n <= 4:
		return PeriodQuarter(year, n, c), nil
	case kind == PeriodKindHalf && n >= 1 && n <= 2:
		return PeriodHalf(year, n, c), nil
	case kind == PeriodKindYear:
		return PeriodYear(year, c), nil
	}
	return Period{}, E("OfficialPeriod", KindInvalid, M(MsgPeriodInvalid, kind, n))
}

// WeekPoint is one week of the home screen's chart.
type WeekPoint struct {
	Start    time.Time // Monday 00:00
	Received int       // received in the week (all channels)
	Resolved int       // resolved in the week
	OnTime   int       // of which early or on time
	Late     int       // of which late
}

// OnTimeRate is the share resolved early or on time, in percent (100 when
// nothing was resolved).
func (w WeekPoint) OnTimeRate() float64 {
	if w.Resolved == 0 {
		return 100
	}
	return 100 * float64(w.OnTime) / float64(w.Resolved)
}

// Weekly returns the last weeks (Monday to Sunday, the current one last) of
// received and resolved dossiers, from the daily counters: O(7 × weeks ×
// procedures).
func (s *Service) Weekly(weeks int) ([]WeekPoint, error) {
	if weeks <= 0 {
		return nil, nil
	}
	today := DayOf(s.Now())
	monday := today - Day((int(today.Time().Weekday())+6)%7)
	first := monday - Day(7*(weeks-1))
	out := make([]WeekPoint, weeks)
	for i := range out {
		out[i].Start = (first + Day(7*i)).Time()
	}
	err := s.store.View(func(tx Tx) error {
		st, ok := txAs[StatsTx](tx)
		if !ok {
			return E("Weekly", KindOther, MsgNoStatsStore)
		}
		return st.DailyStats(first, monday+7, func(r DayStats) error {
			w := &out[int(r.Day-first)/7]
			w.Received += int(r.N[CtrReceivedOnline] + r.N[CtrReceivedOther])
			w.OnTime += int(r.N[CtrEarly] + r.N[CtrOnTime])
			w.Late += int(r.N[CtrLate])
			w.Resolved = w.OnTime + w.Late
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RegisterDossiers returns the dossiers received in [from, to) for the
// register (Sổ theo dõi hồ sơ, form 07), in receipt order; online submissions
// not yet accepted are not in the register. Cost: a walk of the receipt-date
// index plus one read per dossier (~50 µs): a month of a busy commune, some
// 3,000 dossiers, in well under a second.
func (s *Service) RegisterDossiers(from, to time.Time) ([]Dossier, error) {
	var out []Dossier
	err := s.store.View(func(tx Tx) error {
		q := Query{From: from, To: to, Limit: 500}
		for {
			p, err := tx.ListDossiers(q)
			if err != nil {
				return err
			}
			for _, it := range p.Items {
				if it.State == StateSubmitted {
					continue
				}
				d, err := tx.Dossier(it.Code)
				if err != nil {
					return err
				}
				d.History = nil
				out = append(out, *d)
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		return nil
	})
	slices.Reverse(out) // the index gives newest first
	return out, err
}

// notYetOverdue moves the open dossiers due later today from OpenOverdue to
// OpenWithin in rep (a provisional report, viewed before its period ends).
func notYetOverdue(tx Tx, rep *Report, by GroupBy, now time.Time) error {
	today := DayOf(now)
	q := Query{OpenOnly: true, States: Running(), DueFrom: now, DueBefore: (today + 1).Time(), Sort: SortDueAsc, Limit: 500}
	for {
		p, err := tx.ListDossiers(q)
		if err != nil {
			return err
		}
		for _, it := range p.Items {
			d, err := tx.Dossier(it.Code)
			if err != nil {
				return err
			}
			if d.StatsDue.IsZero() || DayOf(d.StatsDue) != today || !d.StatsDue.After(now) {
				continue
			}
			key := d.Field
			if key == "" {
				key = OtherField
			}
			if by == ByProcedure {
				key = d.ProcedureCode
			}
			for i := range rep.Rows {
				if r := &rep.Rows[i]; r.Key == key && r.OpenOverdue > 0 {
					r.OpenOverdue--
					r.OpenWithin++
					rep.Total.OpenOverdue--
					rep.Total.OpenWithin++
					break
				}
			}
		}
		if p.Next == "" {
			return nil
		}
		q.After = p.Next
	}
}
