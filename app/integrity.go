package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// HistoryScanner walks every dossier's history: a full scan, for tests and
// tools. storage.DB implements it.
type HistoryScanner interface {
	ForEachHistory(fn func(code string, entries []HistoryEntry) error) error
}

// ChainScanTx is what the full integrity check needs from a store
// transaction, beyond Tx, DigestTx and StatsTx: one consistent snapshot of
// every dossier with its chain. storage's transactions implement it.
type ChainScanTx interface {
	// ScanChains calls fn for every code that has a dossier record or a
	// history, in code order; d is nil when the record is missing, es is nil
	// when the history is. d may carry only what SealState and DossierStats
	// read.
	ScanChains(fn func(code string, d *Dossier, es []HistoryEntry) error) error
	// ChainHead returns the head recorded for code on day by the chain-heads
	// index ("" when none).
	ChainHead(day Day, code string) (string, error)
	// ForEachChainHead calls fn with every entry of the chain-heads index, in
	// (day, code) order.
	ForEachChainHead(fn func(day Day, code, head string) error) error
}

// IntegrityReport is the result of "Kiểm tra toàn vẹn dữ liệu".
type IntegrityReport struct {
	Dossiers   int          // chains checked
	Audit      int          // administration log entries checked
	Breaks     []ChainBreak // empty when everything verifies
	Full       bool
	StatsDays  int    // full: days whose statistics counters were rebuilt and compared
	Digests    int    // full: daily digests recomputed and compared
	HubDigests int    // full: digests compared with the hub's copy
	HubError   string // full: why the hub's copy could not be read ("" when it was, or no hub)
}

// OK reports whether nothing is broken.
func (r *IntegrityReport) OK() bool { return len(r.Breaks) == 0 }

func (r *IntegrityReport) add(b ChainBreak) { r.Breaks = append(r.Breaks, b) }

// CheckOptions choose what CheckIntegrityWith does.
type CheckOptions struct {
	// Full checks every dossier, the statistics counters and the daily
	// digests; otherwise the quick start-up check: the administration log and
	// the 200 most recently received dossiers.
	Full bool
	// From, To bound the days whose statistics counters the full check
	// rebuilds (receipt-day semantics of the counters); zero: every day.
	From, To time.Time
	// Printed are digests read off printed reports or registers (date and
	// digest, from their footer): the full check names the first day whose
	// data no longer gives the printed digest.
	Printed []DailyDigest
	// Progress, when set, is called from the checking goroutine with the
	// dossiers checked so far and the total (about every 1,000 dossiers and
	// once at the end).
	Progress func(done, total int)
}

// CheckIntegrity runs the quick (full=false) or the full check with default
// options.
func (s *Service) CheckIntegrity(full bool) (*IntegrityReport, error) {
	return s.CheckIntegrityWith(CheckOptions{Full: full})
}

// CheckIntegrityWith verifies the hash chains and what they commit to.
//
// Both checks verify the administration log and, for each dossier checked,
// its history chain and that the dossier record equals the state sealed in
// the chain's last entry (field by field: "hẹn trả đã bị sửa ngoài chương
// trình"). The full check does that for every dossier in one snapshot, and
// also: names records without history and histories without record; compares
// the chain-heads index with the chains; rebuilds the per-day statistics
// counters from the records and names every day that differs; recomputes the
// daily digests and names the first day whose stored digest differs; and,
// when a hub is connected, names the first day whose hub copy differs.
func (s *Service) CheckIntegrityWith(o CheckOptions) (*IntegrityReport, error) {
	rep := &IntegrityReport{Full: o.Full}
	// Both checks first seal the days that are over (and queue them for the
	// hub): the start-up check is what seals them on an office PC.
	if _, err := s.SealDigests(); err != nil && !Is(err, KindPermission) { // read-only: check what is sealed
		return nil, err
	}
	var recomputed []DailyDigest
	err := s.store.View(func(tx Tx) (err error) {
		if err := s.checkAudit(tx, rep); err != nil {
			return err
		}
		if o.Full {
			recomputed, err = s.checkFull(tx, rep, o)
			return err
		}
		p, err := tx.ListDossiers(Query{Sort: SortReceivedDesc, Limit: 200})
		if err != nil {
			rep.add(ChainBreak{Chain: "dossiers", Kind: BreakRead, Reason: M(MsgBreakListUnreadable, readFailure(err))})
			return nil
		}
		for _, it := range p.Items {
			rep.Dossiers++
			d, err := tx.Dossier(it.Code)
			if err != nil {
				rep.add(ChainBreak{Chain: it.Code, Kind: BreakRead, Reason: M(MsgBreakDossierUnreadable, readFailure(err))})
				continue
			}
			rep.checkChain(d.Code, d.History, d)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if o.Full {
		s.checkHub(rep, recomputed)
		if len(o.Printed) > 0 {
			compareCopy(rep, recomputed, o.Printed, BreakPrintedDigest, MsgBreakPrintedDigest)
		}
	}
	return rep, nil
}

func (s *Service) checkAudit(tx Tx, rep *IntegrityReport) error {
	var all []AuditEntry
	for after := 0; ; {
		page, err := tx.Audit(after, 1000)
		if err != nil {
			rep.add(ChainBreak{Chain: "audit", Seq: after + 1, Kind: BreakRead, Reason: M(MsgBreakAuditUnreadable, readFailure(err))})
			break
		}
		all = append(all, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Seq
	}
	rep.Audit = len(all)
	if b := VerifyAudit(all); b != nil {
		rep.add(*b)
	}
	return nil
}

// readFailure is a read error as the argument of a finding: the message of
// the first domain error in its chain that has one (translated with the
// finding), or else the error's text.
func readFailure(err error) any {
	for cur := err; ; {
		var e *Error
		if !errors.As(cur, &e) {
			break
		}
		if e.ID != "" {
			return e.Message()
		}
		if e.Err == nil {
			break
		}
		cur = e.Err
	}
	return err.Error()
}

// checkChain verifies one chain and the record against its last seal; it
// reports whether the chain itself verified.
func (r *IntegrityReport) checkChain(code string, es []HistoryEntry, d *Dossier) bool {
	if b := VerifyHistory(code, es); b != nil {
		r.add(*b)
		return false
	}
	if len(es) == 0 {
		r.add(ChainBreak{Chain: code, Kind: BreakHistoryMissing, Reason: M(MsgBreakHistoryDeleted)})
		return false
	}
	if d == nil {
		return true
	}
	last := es[len(es)-1]
	if last.Seal == "" {
		r.add(ChainBreak{Chain: code, Seq: last.Seq, Kind: BreakUnsealed,
			Reason: M(MsgBreakUnsealed)})
		return true
	}
	for _, f := range SealDiff(last.Seal, d) {
		// The field's label is a key of the translation files too.
		r.add(ChainBreak{Chain: code, Kind: BreakState, Field: f, Reason: M(MsgBreakFieldEdited, MsgID(SealFieldLabel(f)))})
	}
	return true
}

// dayHead is a chain's last hash of one day.
type dayHead struct {
	day  Day
	head string
}

func chainDayHeads(es []HistoryEntry) []dayHead {
	var out []dayHead
	for _, e := range es {
		d := DayOf(e.At)
		if n := len(out); n > 0 && out[n-1].day == d {
			out[n-1].head = e.Hash
			continue
		}
		found := false
		for i := range out {
			if out[i].day == d {
				out[i].head, found = e.Hash, true
			}
		}
		if !found {
			out = append(out, dayHead{d, e.Hash})
		}
	}
	return out
}

type statsKey struct {
	day         Day
	field, proc string
}

var counterLabels = [NumStatCounters]MsgID{
	CtrReceivedOnline: MsgCtrReceivedOnline, CtrReceivedOther: MsgCtrReceivedOther,
	CtrEarly: MsgCtrEarly, CtrOnTime: MsgCtrOnTime, CtrLate: MsgCtrLate,
	CtrStopped: MsgCtrStopped, CtrWithdrawn: MsgCtrWithdrawn, CtrSupplement: MsgCtrSupplement,
	CtrDue: MsgCtrDue, CtrDueClosed: MsgCtrDueClosed,
}

func fmtDay(d Day) string { return ShortDate(d.Time()) }

func (s *Service) checkFull(tx Tx, rep *IntegrityReport, o CheckOptions) ([]DailyDigest, error) {
	sc, ok := txAs[ChainScanTx](tx)
	if !ok {
		return nil, E("CheckIntegrity", KindOther, MsgNoIntegrityStore)
	}
	counts, err := tx.CountByState()
	if err != nil {
		return nil, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fromDay, toDay := Day(0), Day(1<<31-1)
	if !o.From.IsZero() {
		fromDay = DayOf(o.From)
	}
	if !o.To.IsZero() {
		toDay = DayOf(o.To)
	}
	rebuilt := map[statsKey][NumStatCounters]int64{}
	seen := map[string][]dayHead{}
	err = sc.ScanChains(func(code string, d *Dossier, es []HistoryEntry) error {
		rep.Dossiers++
		if o.Progress != nil && rep.Dossiers%1000 == 0 {
			o.Progress(rep.Dossiers, max(total, rep.Dossiers))
		}
		if d == nil && len(es) > 0 {
			rep.add(ChainBreak{Chain: code, Kind: BreakDossierMissing,
				Reason: M(MsgBreakDossierDeleted, len(es))})
		}
		chainOK := rep.checkChain(code, es, d)
		heads := chainDayHeads(es)
		seen[code] = heads
		if chainOK {
			for _, h := range heads {
				got, err := sc.ChainHead(h.day, code)
				if err != nil {
					return err
				}
				if got != h.head {
					rep.add(ChainBreak{Chain: code, Kind: BreakHeads, Day: h.day.Date(), Reason: M(MsgBreakHeadRewritten, fmtDay(h.day))})
					break
				}
			}
		}
		if d != nil {
			if f, ok := DossierStats(d); ok {
				for _, m := range f.Marks {
					if m.Day < fromDay || m.Day >= toDay {
						continue
					}
					k := statsKey{m.Day, f.Field, f.Procedure}
					v := rebuilt[k]
					v[m.Counter]++
					rebuilt[k] = v
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(rep.Dossiers, max(total, rep.Dossiers))
	}
	if err := s.checkCounters(tx, rep, rebuilt, fromDay, toDay); err != nil {
		return nil, err
	}
	return s.checkDigests(tx, sc, rep, seen)
}

// checkCounters compares the stored per-day counters with the ones rebuilt
// from the records and names each day that differs (once, with its first
// difference).
func (s *Service) checkCounters(tx Tx, rep *IntegrityReport, rebuilt map[statsKey][NumStatCounters]int64, from, to Day) error {
	st, ok := txAs[StatsTx](tx)
	if !ok {
		return nil
	}
	stored := map[statsKey][NumStatCounters]int64{}
	if err := st.DailyStats(from, to, func(r DayStats) error {
		k := statsKey{r.Day, r.Field, r.Procedure}
		v := stored[k]
		for i := range v {
			v[i] += r.N[i]
		}
		stored[k] = v
		return nil
	}); err != nil {
		return err
	}
	days := map[Day]bool{}
	type dayDiff struct {
		proc  string
		parts []Message
	}
	diff := map[Day]dayDiff{}
	note := func(k statsKey, a, b [NumStatCounters]int64) {
		days[k.day] = true
		if a == b {
			return
		}
		if _, done := diff[k.day]; done {
			return
		}
		var parts []Message
		for i := range a {
			if a[i] != b[i] {
				parts = append(parts, M(MsgBreakCounter, counterLabels[i], a[i], b[i]))
			}
		}
		diff[k.day] = dayDiff{k.proc, parts}
	}
	for k, a := range stored {
		note(k, a, rebuilt[k])
	}
	for k, b := range rebuilt {
		if _, ok := stored[k]; !ok {
			note(k, [NumStatCounters]int64{}, b)
		}
	}
	rep.StatsDays = len(days)
	var bad []Day
	for d := range diff {
		bad = append(bad, d)
	}
	slices.Sort(bad)
	for _, d := range bad {
		rep.add(ChainBreak{Chain: "stats", Kind: BreakCounter, Day: d.Date(),
			Reason: M(MsgBreakCounters, fmtDay(d), diff[d].proc, diff[d].parts)})
	}
	return nil
}

// checkDigests compares the chain-heads index with the chains seen, then
// recomputes the daily digests from it and names the first day whose stored
// digest differs. The recomputed digests are kept for the hub comparison.
func (s *Service) checkDigests(tx Tx, sc ChainScanTx, rep *IntegrityReport, seen map[string][]dayHead) ([]DailyDigest, error) {
	dt, ok := txAs[DigestTx](tx)
	if !ok {
		return nil, nil
	}
	var stored []DailyDigest
	if err := dt.Digests("", "", func(d DailyDigest) error { stored = append(stored, d); return nil }); err != nil {
		return nil, err
	}
	lastSealed := Day(-1 << 31)
	if n := len(stored); n > 0 {
		if d, ok := ParseDay(stored[n-1].Date); ok {
			lastSealed = d
		}
	}
	var recomputed []DailyDigest
	prev, cur := "", Day(-1<<31)
	var hh *HeadsHasher
	flush := func() {
		if hh == nil {
			return
		}
		n, h := hh.Sum()
		dg := DailyDigest{Date: cur.Date(), Chains: n, HeadsSHA: h, Previous: prev}
		dg.Digest = ComputeDigest(dg.Date, prev, n, h)
		recomputed = append(recomputed, dg)
		prev, hh = dg.Digest, nil
	}
	named := map[string]bool{}
	err := sc.ForEachChainHead(func(day Day, code, head string) error {
		heads, ok := seen[code]
		switch {
		case !ok && !named[code]:
			named[code] = true
			rep.add(ChainBreak{Chain: code, Kind: BreakHistoryMissing, Day: day.Date(), Reason: M(MsgBreakChainDeleted, fmtDay(day))})
		case ok && !slices.ContainsFunc(heads, func(h dayHead) bool { return h.day == day }):
			rep.add(ChainBreak{Chain: code, Kind: BreakHeads, Day: day.Date(), Reason: M(MsgBreakDayDeleted, fmtDay(day))})
		}
		if day > lastSealed {
			return nil
		}
		if day != cur {
			flush()
			cur, hh = day, NewHeadsHasher()
		}
		hh.Add(code, head)
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	rep.Digests = len(recomputed)
	for i := 0; i < max(len(stored), len(recomputed)); i++ {
		var a, b *DailyDigest
		if i < len(stored) {
			a = &stored[i]
		}
		if i < len(recomputed) {
			b = &recomputed[i]
		}
		if a != nil && b != nil && a.Date == b.Date && a.Digest == b.Digest {
			continue
		}
		date := ""
		switch {
		case a == nil:
			date = b.Date
		case b == nil:
			date = a.Date
		default:
			date = min(a.Date, b.Date)
		}
		day, _ := ParseDay(date)
		rep.add(ChainBreak{Chain: "digest", Kind: BreakDigest, Day: date, Reason: M(MsgBreakDigest, fmtDay(day))})
		break
	}
	return recomputed, nil
}

// checkHub compares the digests recomputed from the data with the hub's
// copy and names the first day that no longer matches.
func (s *Service) checkHub(rep *IntegrityReport, recomputed []DailyDigest) {
	s.mu.Lock()
	src := s.hubDigests
	s.mu.Unlock()
	if src == nil {
		return
	}
	hub, err := src.HubDigests("", "")
	if err != nil {
		rep.HubError = err.Error()
		return
	}
	rep.HubDigests = compareCopy(rep, recomputed, hub, BreakHubDigest, MsgBreakHubDigest)
}

// compareCopy names the first day whose copy differs from the digests the
// data gives now; it returns the number of days compared.
func compareCopy(rep *IntegrityReport, recomputed, copies []DailyDigest, kind BreakKind, reason MsgID) int {
	local := make(map[string]string, len(recomputed))
	for _, d := range recomputed {
		local[d.Date] = d.Digest
	}
	copies = slices.Clone(copies)
	slices.SortFunc(copies, func(a, b DailyDigest) int { return strings.Compare(a.Date, b.Date) })
	n := 0
	for _, c := range copies {
		n++
		if local[c.Date] == strings.ToLower(strings.ReplaceAll(c.Digest, " ", "")) {
			continue
		}
		day, _ := ParseDay(c.Date)
		rep.add(ChainBreak{Chain: "digest", Kind: kind, Day: c.Date, Reason: M(reason, fmtDay(day))})
		break
	}
	return n
}

// ParseCatalogue reads a catalogue file (JSON array of procedures, the format
// of resources/catalogue.json) and validates every entry.
func ParseCatalogue(data []byte) ([]Procedure, error) {
	const op = "ParseCatalogue"
	if len(data) > 4<<20 {
		return nil, E(op, KindInvalid, MsgCatalogueTooBig)
	}
	var ps []Procedure
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, E(op, KindInvalid, M(MsgCatalogueJSON, err.Error()))
	}
	if len(ps) == 0 {
		return nil, E(op, KindInvalid, MsgCatalogueEmpty)
	}
	seen := map[string]bool{}
	for i := range ps {
		if err := ValidateProcedure(&ps[i]); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				return nil, E(op, KindInvalid, err)
			}
			e.ID, e.Args = MsgCatalogueEntry, []any{i + 1, ps[i].Code, e.Message()}
			return nil, e
		}
		if seen[ps[i].Code] {
			return nil, E(op, KindInvalid, M(MsgCatalogueDup, ps[i].Code))
		}
		seen[ps[i].Code] = true
	}
	return ps, nil
}

// ImportCatalogue adds or replaces procedures from a catalogue file
// (administrator); all or nothing.
func (s *Service) ImportCatalogue(u *User, data []byte) (int, error) {
	const op = "ImportCatalogue"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return 0, err
	}
	ps, err := ParseCatalogue(data)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	err = s.store.Update(func(tx Tx) error {
		for i := range ps {
			ps[i].UpdatedAt = now
			if err := tx.PutProcedure(&ps[i]); err != nil {
				return err
			}
		}
		return s.audit(tx, u.Ref(), "procedure.import", "", fmt.Sprintf("%d thủ tục", len(ps)))
	})
	return len(ps), err
}
