package app

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NFC normalises s to precomposed form and trims surrounding space. Every
// string is normalised before it is stored, searched or printed: Unikey in
// "Unicode tổ hợp" mode and some scanners produce decomposed (NFD) text.
func NFC(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// Fold lower-cases s and removes Vietnamese diacritics ("Nguyễn Đức" → "nguyen duc")
// so that searches work without them.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return out
}

// Words splits folded text into search words (letters and digits).
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

var (
	agencyCodeRe  = regexp.MustCompile(`^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$`)
	dossierCodeRe = regexp.MustCompile(`^([0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2})-(\d{6})-(\d{4,})$`)
	phoneRe       = regexp.MustCompile(`^(0|\+84)(3|5|7|8|9|2\d)\d{8}$`)
	procCodeRe    = regexp.MustCompile(`^\d\.\d{6}(\.[0-9A-Z.]+)?$`)
)

// ValidAgencyCode checks an agency identifier (mã định danh), e.g. 000.00.01.H22.
func ValidAgencyCode(s string) error {
	if !agencyCodeRe.MatchString(s) {
		return E("AgencyCode", KindInvalid, M(MsgAgencyCode, s))
	}
	return nil
}

// ValidProcedureCode checks a procedure code (mã TTHC), e.g. 1.001193.
func ValidProcedureCode(s string) error {
	if !procCodeRe.MatchString(s) {
		return E("ProcedureCode", KindInvalid, M(MsgProcCode, s))
	}
	return nil
}

// DossierCode formats a dossier code {agency}-{yyMMdd}-{NNNN}.
func DossierCode(agency string, day time.Time, seq int) string {
	return fmt.Sprintf("%s-%s-%04d", agency, day.In(Vietnam).Format("060102"), seq)
}

// ParseDossierCode splits a dossier code into agency, day and sequence.
func ParseDossierCode(s string) (agency string, day time.Time, seq int, err error) {
	m := dossierCodeRe.FindStringSubmatch(s)
	if m == nil {
		return "", time.Time{}, 0, E("DossierCode", KindInvalid, M(MsgDossierCode, s))
	}
	day, err = time.ParseInLocation("060102", m[2], Vietnam)
	if err != nil {
		return "", time.Time{}, 0, E("DossierCode", KindInvalid, M(MsgDossierCodeDate, s))
	}
	seq, err = strconv.Atoi(m[3])
	if err != nil || seq < 1 || (len(m[3]) > 4 && m[3][0] == '0') {
		return "", time.Time{}, 0, E("DossierCode", KindInvalid, M(MsgDossierCodeSeq, s))
	}
	return m[1], day, seq, nil
}

// CheckPersonalID validates a personal document number. It returns a warning
// (not an error) for the old 9-digit CMND.
func CheckPersonalID(t IDType, s string) (warning string, err error) {
	s = strings.TrimSpace(s)
	allDigits := s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
	switch t {
	case IDCCCD, "":
		if len(s) != 12 || !allDigits {
			return "", E("PersonalID", KindInvalid, MsgCCCD)
		}
		if p, _ := strconv.Atoi(s[:3]); p < 1 || p > 96 {
			return "", E("PersonalID", KindInvalid, MsgCCCDProvince)
		}
	case IDCMND:
		if len(s) != 9 || !allDigits {
			return "", E("PersonalID", KindInvalid, MsgCMND)
		}
		return "CMND 9 số đã hết hiệu lực; đề nghị công dân dùng thẻ căn cước", nil
	case IDPassport:
		if len(s) < 5 || len(s) > 20 {
			return "", E("PersonalID", KindInvalid, MsgPassport)
		}
	case IDTaxCode:
		if !allDigits || (len(s) != 10 && len(s) != 13) {
			return "", E("PersonalID", KindInvalid, MsgTaxCode)
		}
	default:
		return "", E("PersonalID", KindInvalid, MsgIDType)
	}
	return "", nil
}

// NormalizePhone removes spaces, dots and dashes from a phone number.
func NormalizePhone(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// CheckPhone validates a Vietnamese phone number (mobile 10 digits, landline 11).
func CheckPhone(s string) error {
	if !phoneRe.MatchString(NormalizePhone(s)) {
		return E("Phone", KindInvalid, MsgPhone)
	}
	return nil
}

// CheckEmail validates an e-mail address.
func CheckEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return E("Email", KindInvalid, MsgEmail)
	}
	return nil
}

// Field limits: what fits a printed form's line and the registers.
const (
	MaxPersonName = 100  // a person's full name
	MaxOrgName    = 250  // an organisation's or business's name
	MaxAddress    = 250  // an address
	MaxLine       = 250  // one line: a title, a unit, a listed item, a document's name
	MaxParagraph  = 1000 // a reason or a note, on several lines
	MaxDraft      = 4000 // a specialist's draft or appraisal
)

// text is one value an official typed, with its limit: every use case whose
// text reaches paper or the registers checks it through checkTexts, so that a
// 500-letter name or an emoji is refused whatever screen it came from.
type text struct {
	field, value string
	max          int
	lines        bool // line breaks are allowed (a reason, a note)
}

func personName(field, v string) text { return text{field, v, MaxPersonName, false} }
func orgName(field, v string) text    { return text{field, v, MaxOrgName, false} }
func address(field, v string) text    { return text{field, v, MaxAddress, false} }
func line(field, v string) text       { return text{field, v, MaxLine, false} }
func paragraph(field, v string) text  { return text{field, v, MaxParagraph, true} }

// lineList is one line per item, all answered by field.
func lineList(field string, items []string) []text {
	out := make([]text, len(items))
	for i, it := range items {
		out[i] = line(field, it)
	}
	return out
}

// textErrors checks ts and returns one message per bad field (the first
// problem of each).
func textErrors(ts ...text) []FieldError {
	var fe []FieldError
	seen := map[string]bool{}
	for _, t := range ts {
		if seen[t.field] {
			continue
		}
		var f []FieldError
		if t.lines {
			f = checkLines(t.field, t.value, t.max)
		} else {
			f = checkText(t.field, t.value, t.max)
		}
		if len(f) > 0 {
			seen[t.field] = true
			fe = append(fe, f...)
		}
	}
	return fe
}

// checkTexts is textErrors as op's error: its sentence is the first
// field's message, so that a dialog without that field still says it.
func checkTexts(op string, ts ...text) error {
	fe := textErrors(ts...)
	if len(fe) == 0 {
		return nil
	}
	return E(op, KindInvalid, fe[0].Message(), fe)
}

// CheckText checks one line the way the use cases will (a person's name,
// an organisation's, an address or another line, by max): the screens call
// it when the official leaves the box. The message is in Vietnamese.
func CheckText(s string, max int) error {
	if fe := checkText("", NFC(s), max); len(fe) > 0 {
		return E("CheckText", KindInvalid, fe[0].Message())
	}
	return nil
}

// CheckParagraph is CheckText for text on several lines.
func CheckParagraph(s string, max int) error {
	if fe := checkLines("", NFC(s), max); len(fe) > 0 {
		return E("CheckText", KindInvalid, fe[0].Message())
	}
	return nil
}

// checkLines is checkText for text on several lines: line breaks are
// allowed, tabs and other control characters are not.
func checkLines(field, s string, max int) []FieldError {
	return checkRunes(field, s, max, true)
}

// checkText refuses text longer than max letters, control characters (a tab
// or a line break pasted into a one-line field) and emoji or other symbols
// the printed forms' font has no letter for; field names the FieldError.
func checkText(field, s string, max int) []FieldError {
	return checkRunes(field, s, max, false)
}

func checkRunes(field, s string, max int, lines bool) []FieldError {
	if s == "" {
		return nil
	}
	if n := utf8.RuneCountInString(s); n > max {
		return []FieldError{FieldErr(field, MsgTextTooLong, max, n)}
	}
	for _, r := range s {
		switch {
		case lines && (r == '\n' || r == '\r'):
		case unicode.IsControl(r) && lines:
			return []FieldError{FieldErr(field, MsgTextControlLines)}
		case unicode.IsControl(r):
			return []FieldError{FieldErr(field, MsgTextControl)}
		case isEmoji(r):
			return []FieldError{FieldErr(field, MsgTextEmoji, string(r))}
		}
	}
	return nil
}

// isEmoji reports runes the forms cannot print: emoji, pictographs, private
// use and other symbols outside the letters, digits and punctuation.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000: // emoji, pictographs, supplementary planes
		return true
	case r >= 0x2600 && r <= 0x27BF: // miscellaneous symbols, dingbats
		return true
	case r >= 0xE000 && r <= 0xF8FF: // private use
		return true
	case r == 0xFE0F || r == 0x200D: // emoji presentation selector, zero-width joiner
		return true
	}
	return unicode.Is(unicode.So, r) && r != '°' && r != '©' && r != '№'
}
