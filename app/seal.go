package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The seal is the part of a dossier's state that rules and statistics depend
// on, written into every history entry (HistoryEntry.Seal) so that the entry's
// hash commits to it. The full integrity check recomputes the seal of the
// stored record and compares it with the seal of the last history entry: a
// record edited outside the program differs in a named field.
//
// Canonical encoding (version 1), documented in docs/integrity.md:
//
//	v1|code=…|proc=…|field=…|ch=…|status=…|state=…|ref=…|submitted=…|received=…|due=…|odue=…|sdue=…|finished=…|returned=…|outcome=…|handler=…|supp=…|delays=…
//
// Fields always appear, in this order, even when empty. Text values are
// URL-query-escaped (so "|", "=" and "," never occur inside a value); times
// are Unix seconds of the instant rounded to the microsecond (the precision
// of every store), "" for no time; supp is the supplement rounds joined by
// ";", each "n,requested,received,prev_due,new_due,policy"; delays is the
// delays joined by ";", each "n,at,prev_due,new_due".

// SealVersion prefixes every seal.
const SealVersion = "v1"

// sealField is one field of the seal.
type sealField struct {
	Key   string // key in the encoding, and the Field of a ChainBreak
	Label string // Vietnamese name, as in "hẹn trả đã bị sửa ngoài chương trình"
	value func(d *Dossier) string
}

func sealTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Round(time.Microsecond).Unix(), 10)
}

func sealText(s string) string { return url.QueryEscape(s) }

var sealFields = []sealField{
	{"code", "mã hồ sơ", func(d *Dossier) string { return sealText(d.Code) }},
	{"proc", "thủ tục", func(d *Dossier) string { return sealText(d.ProcedureCode) }},
	{"field", "lĩnh vực", func(d *Dossier) string { return sealText(d.Field) }},
	{"ch", "kênh nộp", func(d *Dossier) string { return strconv.Itoa(int(d.Channel)) }},
	{"status", "mã trạng thái", func(d *Dossier) string { return strconv.Itoa(int(d.Status)) }},
	{"state", "trạng thái xử lý", func(d *Dossier) string { return sealText(string(d.State)) }},
	{"ref", "mã hồ sơ liên thông gốc", func(d *Dossier) string { return sealText(d.Reference) }},
	{"submitted", "thời điểm nộp", func(d *Dossier) string { return sealTime(d.SubmittedAt) }},
	{"received", "thời điểm tiếp nhận", func(d *Dossier) string { return sealTime(d.ReceivedAt) }},
	{"due", "hẹn trả", func(d *Dossier) string { return sealTime(d.DueAt) }},
	{"odue", "hẹn trả ban đầu", func(d *Dossier) string { return sealTime(d.OriginalDue) }},
	{"sdue", "hạn tính thống kê", func(d *Dossier) string { return sealTime(d.StatsDue) }},
	{"finished", "thời điểm giải quyết xong", func(d *Dossier) string { return sealTime(d.FinishedAt) }},
	{"returned", "thời điểm trả kết quả", func(d *Dossier) string { return sealTime(d.ReturnedAt) }},
	{"outcome", "kết quả đúng hạn/quá hạn", func(d *Dossier) string { return sealText(string(d.Outcome)) }},
	{"handler", "người đang xử lý", func(d *Dossier) string { return sealText(d.Handler.Username) }},
	{"supp", "các lần yêu cầu bổ sung", func(d *Dossier) string {
		parts := make([]string, len(d.Supplements))
		for i, r := range d.Supplements {
			parts[i] = strings.Join([]string{strconv.Itoa(r.N), sealTime(r.RequestedAt), sealTime(r.ReceivedAt),
				sealTime(r.PrevDue), sealTime(r.NewDue), sealText(string(r.Policy))}, ",")
		}
		return strings.Join(parts, ";")
	}},
	{"delays", "các lần hẹn lại", func(d *Dossier) string {
		parts := make([]string, len(d.Delays))
		for i, x := range d.Delays {
			parts[i] = strings.Join([]string{strconv.Itoa(x.N), sealTime(x.At), sealTime(x.PrevDue), sealTime(x.NewDue)}, ",")
		}
		return strings.Join(parts, ";")
	}},
}

// SealState returns the canonical encoding of d's sealed state.
func SealState(d *Dossier) string {
	var b strings.Builder
	b.Grow(256)
	b.WriteString(SealVersion)
	for _, f := range sealFields {
		b.WriteByte('|')
		b.WriteString(f.Key)
		b.WriteByte('=')
		b.WriteString(f.value(d))
	}
	return b.String()
}

// SealFieldLabel returns the Vietnamese name of a seal field key ("due" →
// "hẹn trả"), or the key itself when unknown.
func SealFieldLabel(key string) string {
	for _, f := range sealFields {
		if f.Key == key {
			return f.Label
		}
	}
	return key
}

// SealFields lists the keys of the seal, in encoding order.
func SealFields() []string {
	out := make([]string, len(sealFields))
	for i, f := range sealFields {
		out[i] = f.Key
	}
	return out
}

// parseSeal splits a seal into key → value; ok is false when it is not a
// version-1 seal.
func parseSeal(s string) (map[string]string, bool) {
	parts := strings.Split(s, "|")
	if len(parts) == 0 || parts[0] != SealVersion {
		return nil, false
	}
	m := make(map[string]string, len(parts)-1)
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, false
		}
		m[k] = v
	}
	return m, true
}

// SealDiff returns the keys of the fields whose value in d differs from the
// seal, in encoding order; nil when d matches. A seal that cannot be read
// differs in every field.
func SealDiff(seal string, d *Dossier) []string {
	if seal == SealState(d) {
		return nil
	}
	m, ok := parseSeal(seal)
	var out []string
	for _, f := range sealFields {
		if v, has := m[f.Key]; !ok || !has || v != f.value(d) {
			out = append(out, f.Key)
		}
	}
	if out == nil { // same values, other spelling: name the version
		out = []string{"seal"}
	}
	return out
}
