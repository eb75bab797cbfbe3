package forms

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// Office is what every form prints about the issuing office.
type Office struct {
	Agency app.Agency
	// PublicURL is the office's public address (Settings.PublicURL); the QR
	// code of a dossier encodes {PublicURL}/tra-cuu?ma={code}.
	PublicURL string
	// LookupURL is the older full look-up page (Settings.LookupURL,
	// Agency.LookupURL), used as {LookupURL}?ma={code} when PublicURL is empty.
	LookupURL string
	FormSet   string // template id (FormSets); DefaultFormSet when empty
	Paper     string // "A4" (default) or "A5" for the receipt and the notices 01–05
	// Digest is a footer line the register (form 07) prints on every page:
	// the office's daily digest (app.DailyDigest.FooterLine), "" for none.
	Digest string
}

// qrPayload is what a dossier's QR code encodes: its look-up address, or
// the dossier code alone when the office has no public address (a counter's
// barcode reader can still type it into the search box).
func (o Office) qrPayload(code string) string {
	if a := LookupAddress(o.PublicURL, o.LookupURL, o.Agency.LookupURL, code); a != "" {
		return a
	}
	return code
}

// LookupAddress is the public look-up address of a dossier:
// {public}/tra-cuu?ma={code}, else {lookup}?ma={code} for the first non-empty
// older look-up page, else "".
func LookupAddress(public, lookup, agencyLookup, code string) string {
	esc := url.QueryEscape(code)
	if public = strings.TrimRight(strings.TrimSpace(public), "/"); public != "" {
		return public + "/tra-cuu?ma=" + esc
	}
	for _, l := range []string{lookup, agencyLookup} {
		if l = strings.TrimSpace(l); l != "" {
			sep := "?"
			if strings.Contains(l, "?") {
				sep = "&"
			}
			return l + sep + "ma=" + esc
		}
	}
	return ""
}

// Kind names a printed form.
type Kind string

const (
	KindReceipt       Kind = "receipt"        // 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
	KindSupplement    Kind = "supplement"     // 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	KindRefusal       Kind = "refusal"        // 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
	KindApology       Kind = "apology"        // 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết
	KindStop          Kind = "stop"           // 05 Thông báo dừng giải quyết hồ sơ
	KindControl       Kind = "control"        // 06 Phiếu kiểm soát quá trình giải quyết hồ sơ
	KindRegister      Kind = "register"       // 07 Sổ theo dõi hồ sơ
	KindResultReceipt Kind = "result_receipt" // Giấy biên nhận trả kết quả
)

// Kinds lists every form in the circular's order.
func Kinds() []Kind {
	return []Kind{KindReceipt, KindSupplement, KindRefusal, KindApology, KindStop, KindControl, KindRegister, KindResultReceipt}
}

// ForDossier lists the forms that apply to a dossier in its current state,
// in the order the detail screen shows them.
func ForDossier(d *app.Dossier) []Kind {
	if d == nil {
		return nil
	}
	switch d.State {
	case app.StateSubmitted, "":
		return nil
	case app.StateRefused:
		return []Kind{KindRefusal}
	}
	out := []Kind{KindReceipt, KindControl}
	if len(d.Supplements) > 0 {
		out = append(out, KindSupplement)
	}
	if len(d.Delays) > 0 {
		out = append(out, KindApology)
	}
	if d.State == app.StateStopped {
		out = append(out, KindStop)
	}
	if d.State == app.StateReturned && d.Return != nil {
		out = append(out, KindResultReceipt)
	}
	return out
}

// Render draws one form for a dossier: the latest supplement round and the
// latest delay for KindSupplement and KindApology. officer signs where the
// dossier's history names nobody (e.g. the receipt reprinted at the counter).
// The register covers many dossiers: use Register.
func Render(k Kind, o Office, d *app.Dossier, officer app.UserRef) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.Render", app.KindInvalid, app.MsgFormNoDossier)
	}
	switch k {
	case KindReceipt:
		return receipt(o, d, officer, 1)
	case KindSupplement:
		return SupplementRound(o, d, len(d.Supplements))
	case KindRefusal:
		return refusal(o, d, officer)
	case KindApology:
		return Apology(o, d, len(d.Delays)-1)
	case KindStop:
		return stopNotice(o, d, officer)
	case KindControl:
		return ControlSheet(o, d)
	case KindResultReceipt:
		return resultReceipt(o, d, officer)
	case KindRegister:
		return nil, app.E("forms.Render", app.KindInvalid, app.MsgFormRegisterPeriod)
	}
	return nil, app.E("forms.Render", app.KindInvalid, app.M(app.MsgFormUnknown, k))
}

// actor is who performed the last action a on the dossier, or fallback.
func actor(d *app.Dossier, fallback app.UserRef, acts ...app.Action) (app.UserRef, time.Time) {
	for i := len(d.History) - 1; i >= 0; i-- {
		h := d.History[i]
		for _, a := range acts {
			if h.Action == a && h.User.FullName != "" {
				return h.User, h.At
			}
		}
	}
	return fallback, time.Time{}
}

// applicant writes the applicant's lines shared by several forms.
func (x *doc) applicant(first string, d *app.Dossier) {
	a := d.Applicant
	x.field(first, name(a.FullName))
	if a.IDNumber != "" {
		x.field(x.idLabel(a.IDType), a.IDNumber)
	}
	x.field(x.common("address"), a.Address)
	x.fields(x.common("phone"), a.Phone, x.common("email"), a.Email)
	if s := d.Submitter; s != nil && s.FullName != "" {
		v := name(s.FullName)
		if s.IDNumber != "" {
			v += " (" + x.idLabel(s.IDType) + ": " + s.IDNumber + ")"
		}
		x.field(x.common("submitter"), v)
	}
}

func (x *doc) idLabel(t app.IDType) string {
	switch t {
	case app.IDCCCD, "":
		return x.common("id_cccd")
	case app.IDCMND:
		return x.common("id_cmnd")
	case app.IDPassport:
		return x.common("id_passport")
	case app.IDTaxCode:
		return x.common("id_tax")
	}
	return x.common("id_other")
}

func (x *doc) request(d *app.Dossier) {
	x.field(x.common("procedure"), joinNonEmpty(" - ", d.ProcedureCode, d.ProcedureName))
	if d.Summary != "" {
		x.field(x.common("request"), d.Summary)
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func orDots(s string) string {
	if strings.TrimSpace(s) == "" {
		return "……"
	}
	return s
}

func count(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// unitName is the office's name with its place glued ("xã Nghĩa Hưng Đông"
// never breaks across lines).
func unitName(o Office) string { return pdfkit.GluePlace(app.NFC(o.Agency.Name), false) }
