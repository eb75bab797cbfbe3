package app

import (
	"encoding/json"
	"fmt"
	"time"
)

// Vietnam is the office time zone (UTC+7, no daylight saving). Dossier codes,
// appointment dates and printed dates are all in this zone.
var Vietnam = time.FixedZone("ICT", 7*3600)

// ClockTime is a time of day in minutes after midnight; JSON "HH:MM".
type ClockTime int

// At builds a ClockTime from hours and minutes.
func At(h, m int) ClockTime { return ClockTime(h*60 + m) }

func (c ClockTime) Hour() int   { return int(c) / 60 }
func (c ClockTime) Minute() int { return int(c) % 60 }
func (c ClockTime) String() string {
	return fmt.Sprintf("%02d:%02d", c.Hour(), c.Minute())
}

// ParseClock parses "HH:MM".
func ParseClock(s string) (ClockTime, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || h < 0 || h > 24 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, E("ParseClock", KindInvalid, M(MsgClock, s))
	}
	return At(h, m), nil
}

func (c ClockTime) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }
func (c *ClockTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Interval is one working period of a day, [Start, End).
type Interval struct {
	Start ClockTime `json:"start"`
	End   ClockTime `json:"end"`
}

// OfficeHours are the working periods of a working day (default 07:00–11:30,
// 13:30–17:00), in order and not overlapping.
type OfficeHours []Interval

// DefaultOfficeHours is the usual commune schedule: 8 hours a day.
func DefaultOfficeHours() OfficeHours {
	return OfficeHours{{At(7, 0), At(11, 30)}, {At(13, 30), At(17, 0)}}
}

// Validate checks that the periods are ordered, non-empty and not overlapping.
func (h OfficeHours) Validate() error {
	if len(h) == 0 {
		return E("OfficeHours", KindInvalid, MsgHoursNone)
	}
	var prev ClockTime
	for i, iv := range h {
		if iv.End <= iv.Start || (i > 0 && iv.Start < prev) || iv.End > At(24, 0) {
			return E("OfficeHours", KindInvalid, M(MsgHoursSpan, iv.Start, iv.End))
		}
		prev = iv.End
	}
	return nil
}

// AgencyLevel is the agency's place in the two-tier government (since 1/7/2025).
type AgencyLevel string

const (
	LevelProvince   AgencyLevel = "province"   // UBND tỉnh
	LevelDepartment AgencyLevel = "department" // Sở, ban, ngành
	LevelCommune    AgencyLevel = "commune"    // UBND xã, phường, đặc khu
	LevelOther      AgencyLevel = "other"      // công an, BHXH, thuế…
)

// Agency is the office using this installation (cơ quan, đơn vị).
type Agency struct {
	Code          string      `json:"code"`           // mã định danh, e.g. 000.00.01.H22
	Name          string      `json:"name"`           // e.g. "UBND xã Tân Lập" (issuing unit, bold on forms)
	GoverningBody string      `json:"governing_body"` // e.g. "UBND TỈNH THANH HÓA"
	Place         string      `json:"place"`          // for the date line: "Tân Lập, ngày … tháng … năm …"
	Level         AgencyLevel `json:"level"`
	Address       string      `json:"address,omitempty"`
	Phone         string      `json:"phone,omitempty"`
	Hours         OfficeHours `json:"hours"`
	LookupURL     string      `json:"lookup_url,omitempty"` // status lookup address printed in QR codes
}

// User is an official with one or more roles.
type User struct {
	Username     string    `json:"username"`
	FullName     string    `json:"full_name"`
	Title        string    `json:"title,omitempty"` // chức vụ, e.g. "Công chức Tư pháp - Hộ tịch"
	Unit         string    `json:"unit,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	Roles        []Role    `json:"roles"`
	PasswordHash string    `json:"password_hash,omitempty"` // argon2id, PHC string
	Disabled     bool      `json:"disabled,omitempty"`
	FailedLogins int       `json:"failed_logins,omitempty"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
}

// Has reports whether the user holds role r.
func (u *User) Has(r Role) bool {
	if u == nil {
		return false
	}
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Ref is the short reference to a user kept on records.
func (u *User) Ref() UserRef {
	if u == nil {
		return UserRef{}
	}
	return UserRef{Username: u.Username, FullName: u.FullName, Title: u.Title}
}

// UserRef names who did something, kept on history entries and legs.
type UserRef struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Title    string `json:"title,omitempty"`
	// Agency names the other agency for an official of another agency
	// (liên thông); empty for this office's own users.
	Agency string `json:"agency,omitempty"`
}

// TimeRuleKind is how a procedure's processing time is counted (domain.md §5.2).
type TimeRuleKind string

const (
	TimeWorkingHours TimeRuleKind = "working_hours" // N working hours (N ngày làm việc = 8N hours)
	TimeCalendarDays TimeRuleKind = "calendar_days" // N calendar days
	TimeSameDay      TimeRuleKind = "same_day"      // closing time today if received before the cut-off
	TimeImmediate    TimeRuleKind = "immediate"     // ngay sau khi nhận đủ giấy tờ: closing time today
	TimeNone         TimeRuleKind = "none"          // no appointment date
)

// TimeRule is a procedure's processing time.
type TimeRule struct {
	Kind   TimeRuleKind `json:"kind"`
	Hours  float64      `json:"hours,omitempty"`  // working_hours
	Days   int          `json:"days,omitempty"`   // calendar_days
	Cutoff ClockTime    `json:"cutoff,omitempty"` // same_day, e.g. 15:00
	Note   string       `json:"note,omitempty"`   // e.g. "05 ngày làm việc nếu phải xác minh"
}

// WorkingDays builds a working_hours rule of n working days of 8 hours.
func WorkingDays(n float64) TimeRule { return TimeRule{Kind: TimeWorkingHours, Hours: n * 8} }

// Describe renders the rule in Vietnamese, e.g. "03 ngày làm việc".
func (r TimeRule) Describe() string {
	switch r.Kind {
	case TimeWorkingHours:
		days := r.Hours / 8
		if days == float64(int(days)) {
			return fmt.Sprintf("%02d ngày làm việc", int(days))
		}
		if r.Hours < 8 {
			return fmt.Sprintf("%g giờ làm việc", r.Hours)
		}
		return fmt.Sprintf("%g ngày làm việc", days)
	case TimeCalendarDays:
		return fmt.Sprintf("%02d ngày", r.Days)
	case TimeSameDay:
		return fmt.Sprintf("Trong ngày (nhận sau %s trả trong ngày làm việc tiếp theo)", r.Cutoff)
	case TimeImmediate:
		return "Ngay sau khi nhận đủ giấy tờ theo quy định"
	case TimeNone:
		return "Không quy định"
	}
	return ""
}

// Validate checks the rule's parameters.
func (r TimeRule) Validate() error {
	switch r.Kind {
	case TimeWorkingHours:
		if r.Hours <= 0 || r.Hours > 8*365 {
			return E("TimeRule", KindInvalid, MsgRuleHours)
		}
	case TimeCalendarDays:
		if r.Days <= 0 || r.Days > 3650 {
			return E("TimeRule", KindInvalid, MsgRuleDays)
		}
	case TimeSameDay:
		if r.Cutoff <= 0 || r.Cutoff >= At(24, 0) {
			return E("TimeRule", KindInvalid, MsgRuleCutoff)
		}
	case TimeImmediate, TimeNone:
	default:
		return E("TimeRule", KindInvalid, M(MsgRuleKind, r.Kind))
	}
	return nil
}

// FeeRuleKind is how a procedure's fee is computed.
type FeeRuleKind string

const (
	FeeFree    FeeRuleKind = "free"     // miễn phí
	FeeFixed   FeeRuleKind = "fixed"    // one amount per dossier
	FeePerCase FeeRuleKind = "per_case" // amount × cases (e.g. chứng thực chữ ký: 10.000 đ/trường hợp)
	FeePerPage FeeRuleKind = "per_page" // chứng thực bản sao: first pages, next pages, cap per copy
)

// FeeRule is a procedure's fee (phí, lệ phí). Amounts in đồng.
type FeeRule struct {
	Kind       FeeRuleKind `json:"kind"`
	Name       string      `json:"name,omitempty"` // e.g. "Lệ phí chứng thực"
	Amount     int64       `json:"amount,omitempty"`
	FirstPages int         `json:"first_pages,omitempty"` // per_page: pages charged at Amount (e.g. 2)
	NextAmount int64       `json:"next_amount,omitempty"` // per_page: each further page (e.g. 1.000)
	MaxPerCopy int64       `json:"max_per_copy,omitempty"`
	Note       string      `json:"note,omitempty"` // e.g. "Miễn lệ phí nếu đăng ký đúng hạn"
}

// FeeInput is what the officer counts at the counter to compute a fee.
type FeeInput struct {
	Pages  int // pages per copy (per_page)
	Copies int // number of copies (per_page)
	Cases  int // number of cases (per_case)
}

// Compute returns the fee in đồng.
func (f FeeRule) Compute(in FeeInput) int64 {
	switch f.Kind {
	case FeeFixed:
		return f.Amount
	case FeePerCase:
		n := max(in.Cases, 1)
		return f.Amount * int64(n)
	case FeePerPage:
		pages, copies := max(in.Pages, 1), max(in.Copies, 1)
		first := min(pages, max(f.FirstPages, 0))
		per := int64(first)*f.Amount + int64(pages-first)*f.NextAmount
		if f.MaxPerCopy > 0 && per > f.MaxPerCopy {
			per = f.MaxPerCopy
		}
		return per * int64(copies)
	}
	return 0
}

// DocumentSpec is one item of a procedure's document list (thành phần hồ sơ).
type DocumentSpec struct {
	Name      string `json:"name"`
	Originals int    `json:"originals"` // bản chính
	Copies    int    `json:"copies"`    // bản sao (chứng thực)
	Required  bool   `json:"required"`
	Note      string `json:"note,omitempty"`
}

// LegalBasis is the rule version a procedure (and each dossier) follows.
type LegalBasis struct {
	Text          string `json:"text"`           // e.g. "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"
	Version       string `json:"version"`        // e.g. "QĐ 1234/QĐ-UBND 2025"
	EffectiveFrom string `json:"effective_from"` // YYYY-MM-DD
	EffectiveTo   string `json:"effective_to,omitempty"`
}

// Procedure is a catalogue entry (thủ tục hành chính).
type Procedure struct {
	Code         string         `json:"code"`  // mã TTHC, e.g. 1.001193
	Name         string         `json:"name"`  // e.g. Đăng ký khai sinh
	Field        string         `json:"field"` // lĩnh vực: Hộ tịch, Chứng thực, Cư trú
	Documents    []DocumentSpec `json:"documents"`
	Time         TimeRule       `json:"time"`
	OnlineTime   *TimeRule      `json:"online_time,omitempty"` // when the online channel differs
	Fee          FeeRule        `json:"fee"`
	Legal        LegalBasis     `json:"legal"`
	ServiceLevel string         `json:"service_level"` // "toàn trình" | "một phần"
	Transferable bool           `json:"transferable"`
	TransferTo   AgencyLevel    `json:"transfer_to,omitempty"`
	ResultKind   string         `json:"result_kind,omitempty"` // e.g. "Giấy khai sinh"
	Active       bool           `json:"active"`
	UpdatedAt    time.Time      `json:"updated_at,omitzero"`
}

// RuleFor returns the time rule for a channel.
func (p *Procedure) RuleFor(ch Channel) TimeRule {
	if ch == ChannelOnline && p.OnlineTime != nil {
		return *p.OnlineTime
	}
	return p.Time
}

// Channel is how the dossier was submitted (KenhThucHien).
type Channel int

const (
	ChannelInPerson Channel = 1 // trực tiếp
	ChannelOnline   Channel = 2 // trực tuyến
	ChannelPostal   Channel = 3 // bưu chính công ích
)

func (c Channel) Label() string {
	switch c {
	case ChannelInPerson:
		return "Trực tiếp"
	case ChannelOnline:
		return "Trực tuyến"
	case ChannelPostal:
		return "Bưu chính công ích"
	}
	return ""
}

// ApplicantKind is LoaiDoiTuong.
type ApplicantKind int

const (
	ApplicantCitizen      ApplicantKind = 1 // công dân
	ApplicantBusiness     ApplicantKind = 2 // doanh nghiệp
	ApplicantState        ApplicantKind = 3 // cơ quan nhà nước
	ApplicantOrganisation ApplicantKind = 4 // tổ chức khác
)

func (k ApplicantKind) Label() string {
	switch k {
	case ApplicantCitizen:
		return "Công dân"
	case ApplicantBusiness:
		return "Doanh nghiệp"
	case ApplicantState:
		return "Cơ quan nhà nước"
	case ApplicantOrganisation:
		return "Tổ chức khác"
	}
	return ""
}

// IDType is the kind of personal document.
type IDType string

const (
	IDCCCD     IDType = "cccd"     // căn cước / CCCD / số định danh cá nhân, 12 digits
	IDCMND     IDType = "cmnd"     // old 9-digit CMND (accepted with a warning)
	IDPassport IDType = "passport" // hộ chiếu, free text
	IDTaxCode  IDType = "tax"      // mã số thuế / mã số doanh nghiệp for organisations
)

// Person is an applicant or the person who submitted on their behalf.
type Person struct {
	Kind      ApplicantKind `json:"kind"`
	FullName  string        `json:"full_name"`
	IDType    IDType        `json:"id_type,omitempty"`
	IDNumber  string        `json:"id_number,omitempty"`
	BirthDate string        `json:"birth_date,omitempty"` // YYYY-MM-DD
	Phone     string        `json:"phone,omitempty"`
	Email     string        `json:"email,omitempty"`
	Address   string        `json:"address,omitempty"`
}

// SubmittedDocument is one document the applicant handed in.
type SubmittedDocument struct {
	Name        string `json:"name"`
	Originals   int    `json:"originals"`   // bản chính
	Copies      int    `json:"copies"`      // bản sao (chứng thực)
	Photocopies int    `json:"photocopies"` // bản photo
	SHA256      string `json:"sha256,omitempty"`
	Size        int64  `json:"size,omitempty"`
	MediaType   string `json:"media_type,omitempty"`
	FileName    string `json:"file_name,omitempty"`
}

// Fee is one fee line on a dossier.
type Fee struct {
	Name      string    `json:"name"`
	Amount    int64     `json:"amount_vnd"`
	Paid      bool      `json:"paid"`
	ReceiptNo string    `json:"receipt_no,omitempty"` // số biên lai
	PaidAt    time.Time `json:"paid_at,omitzero"`
}

// HistoryEntry is one line of a dossier's append-only history. Hash chains the
// entries: Hash = SHA-256 over the entry's fields, PrevHash and the Seal of
// the dossier's state after the change (see HashEntry and SealState).
type HistoryEntry struct {
	Seq    int       `json:"seq"` // 1, 2, 3… per dossier
	At     time.Time `json:"at"`
	User   UserRef   `json:"user"`
	Action Action    `json:"action"`
	From   State     `json:"from,omitempty"`
	To     State     `json:"to"`
	Note   string    `json:"note,omitempty"`
	// ActedAt is when an official of another agency acted, as the hub
	// reported it (At is when this office recorded it).
	ActedAt  time.Time `json:"acted_at,omitzero"`
	Seal     string    `json:"seal,omitempty"` // the dossier's state after the change (SealState); covered by Hash
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// SupplementRound is one request for more documents (domain.md §5.4).
type SupplementRound struct {
	N           int         `json:"n"`
	Items       []string    `json:"items"` // what to add or complete
	Reason      string      `json:"reason"`
	RequestedBy UserRef     `json:"requested_by"`
	RequestedAt time.Time   `json:"requested_at"`
	Policy      ClockPolicy `json:"policy"`
	PrevDue     time.Time   `json:"prev_due,omitzero"`
	ReceivedAt  time.Time   `json:"received_at,omitzero"`
	ReceivedBy  UserRef     `json:"received_by,omitempty"`
	NewDue      time.Time   `json:"new_due,omitzero"`
	Note        string      `json:"note,omitempty"`
	// TransferID names the transfer whose recipient asked for this round
	// (liên thông): the papers received here go on to that agency.
	TransferID string    `json:"transfer_id,omitempty"`
	Deadline   time.Time `json:"deadline,omitzero"` // the recipient's deadline for the papers
}

// ClockPolicy is what a supplement does to the appointment date.
type ClockPolicy string

const (
	ClockRestart ClockPolicy = "restart" // recompute from the moment the complete supplement is received (default)
	ClockPause   ClockPolicy = "pause"   // extend the old date by the paused working time
)

// Outcome is early / on time / late (domain.md §5.5).
type Outcome string

const (
	OutcomeNone   Outcome = ""
	OutcomeEarly  Outcome = "early"   // trước hạn
	OutcomeOnTime Outcome = "on_time" // đúng hạn
	OutcomeLate   Outcome = "late"    // quá hạn
)

func (o Outcome) Label() string {
	switch o {
	case OutcomeEarly:
		return "Trước hạn"
	case OutcomeOnTime:
		return "Đúng hạn"
	case OutcomeLate:
		return "Quá hạn"
	}
	return ""
}

// HandoverLeg is one row of the control sheet (phiếu kiểm soát): who gave,
// who received, when, the step's deadline and how it ended.
type HandoverLeg struct {
	N          int       `json:"n"`
	FromUnit   string    `json:"from_unit"`
	FromUser   UserRef   `json:"from_user"`
	ToUnit     string    `json:"to_unit"`
	ToUser     UserRef   `json:"to_user"`
	At         time.Time `json:"at"`
	Deadline   time.Time `json:"deadline,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Outcome    Outcome   `json:"outcome,omitempty"`
	Note       string    `json:"note,omitempty"`
	TransferID string    `json:"transfer_id,omitempty"` // for a leg through the central API
}

// Delay is an apology with a new date (phiếu xin lỗi và hẹn lại ngày trả kết quả).
type Delay struct {
	N        int       `json:"n"`
	Reason   string    `json:"reason"`
	PrevDue  time.Time `json:"prev_due"`
	NewDue   time.Time `json:"new_due"`
	By       UserRef   `json:"by"`
	At       time.Time `json:"at"`
	SignedBy UserRef   `json:"signed_by,omitempty"`
}

// Result is the result document of a resolved dossier.
type Result struct {
	Kind       string              `json:"kind"`   // e.g. "Giấy khai sinh", "Bản sao chứng thực"
	Number     string              `json:"number"` // số
	Date       string              `json:"date"`   // YYYY-MM-DD
	Signer     string              `json:"signer"`
	Summary    string              `json:"summary"`
	Files      []SubmittedDocument `json:"files,omitempty"`
	RecordedBy UserRef             `json:"recorded_by"`
	RecordedAt time.Time           `json:"recorded_at"`
}

// ReturnMethod is how the result went back.
type ReturnMethod string

const (
	ReturnInPerson ReturnMethod = "in_person" // trực tiếp
	ReturnPostal   ReturnMethod = "postal"    // bưu chính
	ReturnOnline   ReturnMethod = "online"    // trực tuyến
)

// ReturnInfo records the hand-back to the applicant.
type ReturnInfo struct {
	Method    ReturnMethod `json:"method"`
	To        string       `json:"to"` // the person who received it
	ToID      string       `json:"to_id,omitempty"`
	At        time.Time    `json:"at"`
	By        UserRef      `json:"by"`
	Originals string       `json:"originals_kept,omitempty"` // originals kept by the office
	Note      string       `json:"note,omitempty"`
}

// Payment records a request for fees or taxes (status 6).
type Payment struct {
	Items       []Fee     `json:"items"`
	RequestedBy UserRef   `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
	PaidAt      time.Time `json:"paid_at,omitzero"`
	// The clock while the citizen pays (domain.md §5.4): the policy of the
	// office when asked, the appointment before and after.
	Policy  ClockPolicy `json:"policy,omitempty"`
	PrevDue time.Time   `json:"prev_due,omitzero"`
	NewDue  time.Time   `json:"new_due,omitzero"`
	// TransferID names the transfer whose recipient asked for the fees
	// (liên thông); Note is its request as written there.
	TransferID string `json:"transfer_id,omitempty"`
	Note       string `json:"note,omitempty"`
	ReceiptNo  string `json:"receipt_no,omitempty"`
}

// TransferRef links a dossier to a transfer through the central API.
type TransferRef struct {
	ID         string          `json:"id"`
	GroupID    string          `json:"group_id,omitempty"`
	ToAgency   string          `json:"to_agency"`
	ToName     string          `json:"to_name,omitempty"`
	FromAgency string          `json:"from_agency,omitempty"`
	Purpose    TransferPurpose `json:"purpose"`
	Follows    string          `json:"follows,omitempty"` // supplement, result: the transfer it belongs to
	State      TransferState   `json:"state"`
	Version    int             `json:"version"`
	StatusCode StatusCode      `json:"status_code,omitempty"`
	Note       string          `json:"note,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// Dossier is a citizen's application file (hồ sơ), domain.md §9.
type Dossier struct {
	Code          string              `json:"code"` // mã hồ sơ {agency}-{yyMMdd}-{NNNN}
	AgencyCode    string              `json:"agency_code"`
	ProcedureCode string              `json:"procedure_code"`
	ProcedureName string              `json:"procedure_name"`
	Field         string              `json:"field"`
	Legal         LegalBasis          `json:"legal"` // the rule version that applied
	TimeRule      TimeRule            `json:"time_rule"`
	Channel       Channel             `json:"channel"`
	Applicant     Person              `json:"applicant"`
	Submitter     *Person             `json:"submitter,omitempty"` // when someone else submitted (authorised)
	Summary       string              `json:"summary"`             // trích yếu / nội dung yêu cầu
	Documents     []SubmittedDocument `json:"documents"`
	Sets          int                 `json:"sets"` // số bộ hồ sơ
	Fees          []Fee               `json:"fees,omitempty"`
	ReturnPlace   string              `json:"return_place,omitempty"` // nơi trả kết quả

	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	ReceivedAt  time.Time `json:"received_at"`
	DueAt       time.Time `json:"due_at,omitzero"`          // current appointment (may move with delays/supplements)
	OriginalDue time.Time `json:"original_due_at,omitzero"` // the first appointment; lateness is measured against the due that applies (see Outcome)
	StatsDue    time.Time `json:"stats_due_at,omitzero"`    // due used for statistics: ignores delays, follows supplement rules
	FinishedAt  time.Time `json:"finished_at,omitzero"`     // when processing finished (result ready), stop or withdraw
	Outcome     Outcome   `json:"outcome,omitempty"`        // early / on time / late against StatsDue, set when resolved
	ReturnedAt  time.Time `json:"returned_at,omitzero"`

	RegisterBook string `json:"register_book,omitempty"` // Quyển số
	RegisterRow  int    `json:"register_row,omitempty"`  // Số thứ tự

	State   State      `json:"state"`
	Status  StatusCode `json:"status_code"`
	Handler UserRef    `json:"handler,omitempty"` // current handler
	Unit    string     `json:"unit,omitempty"`    // current unit

	Supplements       []SupplementRound `json:"supplements,omitempty"`
	Legs              []HandoverLeg     `json:"legs,omitempty"`
	Delays            []Delay           `json:"delays,omitempty"`
	Payment           *Payment          `json:"payment,omitempty"`
	Result            *Result           `json:"result,omitempty"`
	Return            *ReturnInfo       `json:"return,omitempty"`
	Transfers         []TransferRef     `json:"transfers,omitempty"`
	StopReason        string            `json:"stop_reason,omitempty"`
	StopLegal         string            `json:"stop_legal,omitempty"`
	RefuseReason      string            `json:"refuse_reason,omitempty"`
	WithdrawNote      string            `json:"withdraw_note,omitempty"`
	Draft             string            `json:"draft,omitempty"`     // the specialist's draft result / appraisal note
	Reference         string            `json:"reference,omitempty"` // the sender's code for a dossier received by transfer
	ReferenceTransfer string            `json:"reference_transfer,omitempty"`

	History   []HistoryEntry `json:"history,omitempty"` // read-only view; appended only through the store
	Version   int            `json:"version"`           // optimistic concurrency: bumped on each write
	UpdatedAt time.Time      `json:"updated_at"`
}

// IntakeGuidance is the "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" given at the
// counter when documents are missing: nothing is received, but the guidance is
// kept so that it can be printed again.
type IntakeGuidance struct {
	ID            string    `json:"id"` // {agency}-{yyMMdd}-G{NNNN}
	AgencyCode    string    `json:"agency_code"`
	ProcedureCode string    `json:"procedure_code"`
	ProcedureName string    `json:"procedure_name"`
	Applicant     Person    `json:"applicant"`
	Summary       string    `json:"summary"`
	Items         []string  `json:"items"`
	Reason        string    `json:"reason"`
	By            UserRef   `json:"by"`
	At            time.Time `json:"at"`
}

// CalendarKind says whether a date is a day off or an extra working day.
type CalendarKind string

const (
	DayOff     CalendarKind = "day_off"     // holiday or swapped day
	WorkingDay CalendarKind = "working_day" // a make-up Saturday (làm bù)
)

// CalendarEntry overrides the normal Mon–Fri week for one date.
type CalendarEntry struct {
	Date   string       `json:"date"` // YYYY-MM-DD
	Kind   CalendarKind `json:"kind"`
	Note   string       `json:"note"`
	Source string       `json:"source,omitempty"` // e.g. "Thông báo 6150/TB-BNV"
}

// Settings are the office-wide preferences.
type Settings struct {
	ClockPolicy  ClockPolicy `json:"clock_policy"`      // supplement policy, default restart
	DueSoonHours float64     `json:"due_soon_hours"`    // "tới hạn" window in working hours, default 8
	ReportCutoff int         `json:"report_cutoff_day"` // official period cut-off (15 → 15th..14th)
	FormSet      string      `json:"form_set"`          // "tt03-2025" (default) or "tt01-2018"
	LookupURL    string      `json:"lookup_url"`
	HubURL       string      `json:"hub_url,omitempty"`
	HubKey       string      `json:"hub_key,omitempty"`
	IdleLockMin  int         `json:"idle_lock_minutes"`
	BackupDir    string      `json:"backup_dir,omitempty"`
	BackupKeep   int         `json:"backup_keep"`
	// The backup key (sealed.go): the age recipient backups are encrypted
	// to, and its private key encrypted with the backup passphrase.
	BackupRecipient string `json:"backup_recipient,omitempty"`
	BackupKey       string `json:"backup_key,omitempty"`
	Language        string `json:"language"` // vi | en
	RegisterBook    string `json:"register_book"`
	// OnlineDecideDays: an online submission is decided by the end of this
	// many working days after its submission day (domain.md §3.7; 0 = 1).
	OnlineDecideDays int `json:"online_decide_days,omitempty"`
	// PublicURL is the office's public address: the QR code of a dossier's
	// forms encodes {PublicURL}/tra-cuu?ma={code}. Empty: no address is
	// configured (the forms fall back to LookupURL, then to the bare code).
	PublicURL string `json:"public_url,omitempty"`
	// Paper is the paper size of the receipt and the notices 01–05: "A4"
	// (default) or "A5". The control sheet and the register stay A4.
	Paper string `json:"paper,omitempty"`
}

// DefaultSettings are used until an administrator changes them.
func DefaultSettings() Settings {
	return Settings{ClockPolicy: ClockRestart, DueSoonHours: 8, ReportCutoff: 15, FormSet: "tt03-2025",
		IdleLockMin: 15, BackupKeep: 14, Language: "vi", RegisterBook: "01", Paper: "A4"}
}
