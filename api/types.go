package api

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Limits of the contract.
const (
	MaxJSONBody     = 1 << 20  // bytes of a JSON request body
	MaxBlobSize     = 50 << 20 // bytes of one blob
	MaxDocuments    = 100      // documents per transfer
	MaxPageLimit    = 500      // inbox and list page size
	DefaultLimit    = 100      // page size when limit is absent
	MaxWaitSeconds  = 30       // inbox long-poll
	MaxIdemKeyBytes = 255      // Idempotency-Key length
)

// Header names used by the contract.
const (
	HeaderIdempotencyKey     = "Idempotency-Key"
	HeaderIdempotentReplayed = "Idempotent-Replayed"
	HeaderIfMatch            = "If-Match"
	HeaderETag               = "ETag"
	HeaderReprDigest         = "Repr-Digest"
	HeaderRetryAfter         = "Retry-After"
)

// Media types.
const (
	MediaJSON    = "application/json"
	MediaProblem = "application/problem+json"
	MediaBinary  = "application/octet-stream"
)

// AgencyCodePattern is the agency identifier (mã định danh) format, domain.md §4.
var AgencyCodePattern = regexp.MustCompile(`^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$`)

// ValidAgencyCode reports whether code is a well-formed agency identifier.
func ValidAgencyCode(code string) bool { return AgencyCodePattern.MatchString(code) }

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidSHA256 reports whether s is 64 lower-case hex digits.
func ValidSHA256(s string) bool { return sha256Pattern.MatchString(s) }

// ETag formats a transfer version as a strong entity tag: "3".
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ParseETag reads a version from an entity tag such as "3" (a weak W/ prefix is
// refused: versions are exact).
func ParseETag(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, fmt.Errorf("api: entity tag %q is not a quoted version", s)
	}
	v, err := strconv.ParseInt(s[1:len(s)-1], 10, 64)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("api: entity tag %q is not a quoted version", s)
	}
	return v, nil
}

// Health is the body of GET /v1/health.
type Health struct {
	Status string `json:"status"` // "ok"
}

// AgencyLevel is an agency's place in the two-tier government.
type AgencyLevel string

const (
	LevelProvince   AgencyLevel = "province"   // UBND tỉnh
	LevelDepartment AgencyLevel = "department" // Sở, ban, ngành
	LevelCommune    AgencyLevel = "commune"    // UBND xã, phường, đặc khu
	LevelOther      AgencyLevel = "other"      // công an, BHXH, thuế…
)

// Valid reports whether l is one of the known levels.
func (l AgencyLevel) Valid() bool {
	switch l {
	case LevelProvince, LevelDepartment, LevelCommune, LevelOther:
		return true
	}
	return false
}

// Agency is one entry of the hub's directory (cơ quan).
type Agency struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	ParentCode string      `json:"parent_code,omitempty"`
	Level      AgencyLevel `json:"level"`
	Active     bool        `json:"active"`
}

// Blob is the body of a successful PUT /v1/blobs/sha256/{hex}.
type Blob struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// StatusCode is the national dossier status (TrangThaiHoSo), domain.md §2.
type StatusCode int

const (
	StatusSubmitted       StatusCode = 1  // Mới đăng ký
	StatusReceived        StatusCode = 2  // Được tiếp nhận
	StatusRefused         StatusCode = 3  // Không được tiếp nhận
	StatusProcessing      StatusCode = 4  // Đang xử lý
	StatusSupplement      StatusCode = 5  // Yêu cầu bổ sung giấy tờ
	StatusPaymentRequired StatusCode = 6  // Yêu cầu thực hiện nghĩa vụ tài chính
	StatusWithdrawn       StatusCode = 7  // Công dân yêu cầu rút hồ sơ
	StatusStopped         StatusCode = 8  // Dừng xử lý
	StatusResolved        StatusCode = 9  // Đã xử lý xong
	StatusReturned        StatusCode = 10 // Đã trả kết quả
)

// Purpose says why a dossier is transferred.
type Purpose string

const (
	PurposeProcess    Purpose = "process"    // the recipient processes the dossier or one step of it
	PurposeSupplement Purpose = "supplement" // documents added to an earlier transfer of the group
	PurposeResult     Purpose = "result"     // a result handed back
)

// TransferState is the hub's state of a transfer.
type TransferState string

const (
	StatePending   TransferState = "pending"
	StateAccepted  TransferState = "accepted"
	StateRejected  TransferState = "rejected"
	StateRecalled  TransferState = "recalled"
	StateCompleted TransferState = "completed"
)

// Live reports whether a transfer in this state blocks another one with the
// same business key (from, dossier code, to, purpose).
func (s TransferState) Live() bool { return s != StateRejected && s != StateRecalled }

// TransferRequest is the body of POST /v1/transfers; the sender is the caller.
type TransferRequest struct {
	GroupID string  `json:"group_id,omitempty"`
	Purpose Purpose `json:"purpose"`
	// Follows names the transfer a `supplement` or `result` belongs to (an
	// extension: docs/central-api-extensions.md).
	Follows  string  `json:"follows,omitempty"`
	ToAgency string  `json:"to_agency"`
	Dossier  Dossier `json:"dossier"`
}

// Transfer is one hand-over of a dossier from one agency to another (liên
// thông), the hub's authoritative snapshot.
type Transfer struct {
	ID         string         `json:"id"`
	GroupID    string         `json:"group_id,omitempty"`
	Purpose    Purpose        `json:"purpose"`
	Follows    string         `json:"follows,omitempty"`
	FromAgency string         `json:"from_agency"`
	ToAgency   string         `json:"to_agency"`
	State      TransferState  `json:"state"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	Dossier    Dossier        `json:"dossier"`
	Ack        *Ack           `json:"ack,omitempty"`
	LastStatus *StatusRequest `json:"last_status,omitempty"`
	Recall     *Recall        `json:"recall,omitempty"`
}

// Ack is the recipient's acknowledgement as recorded by the hub.
type Ack struct {
	Accepted  bool      `json:"accepted"`
	LocalCode string    `json:"local_code,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at"`
}

// Recall records the sender's withdrawal of a pending transfer.
type Recall struct {
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// Dossier is a citizen's dossier (hồ sơ) as it travels between agencies. The
// national field name is in each comment.
type Dossier struct {
	DossierCode   string         `json:"dossier_code"`         // MaHoSo
	ProcedureCode string         `json:"procedure_code"`       // MaTTHC
	ProcedureName string         `json:"procedure_name"`       // TenTTHC
	FieldName     string         `json:"field_name,omitempty"` // TenLinhVuc
	Channel       int            `json:"channel"`              // KenhThucHien 1|2|3
	Applicant     Applicant      `json:"applicant"`            // ChuHoSo
	Summary       string         `json:"summary,omitempty"`    // TrichYeuHoSo
	ReceivedAt    time.Time      `json:"received_at"`          // NgayTiepNhan
	DueAt         time.Time      `json:"due_at,omitzero"`      // NgayHenTra
	StatusCode    StatusCode     `json:"status_code"`          // TrangThaiHoSo
	Note          string         `json:"note,omitempty"`       // GhiChu
	Documents     []Document     `json:"documents,omitempty"`  // TaiLieuNop
	Fees          []Fee          `json:"fees,omitempty"`       // DanhSachLePhi
	FormData      map[string]any `json:"form_data,omitempty"`  // procedure-specific fields
}

// Applicant is the dossier's owner (chủ hồ sơ).
type Applicant struct {
	Kind      int    `json:"kind"` // LoaiDoiTuong 1–4
	FullName  string `json:"full_name"`
	IDType    string `json:"id_type,omitempty"`
	IDNumber  string `json:"id_number,omitempty"`  // SoGiayToChuHoSo
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Address   string `json:"address,omitempty"`
}

// Document is one paper of the dossier (thành phần hồ sơ), with its scan when
// SHA256 names an uploaded blob.
type Document struct {
	Name        string `json:"name"`
	Originals   int    `json:"originals,omitempty"`
	Copies      int    `json:"copies,omitempty"`
	Photocopies int    `json:"photocopies,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	Size        int64  `json:"size,omitempty"`
	MediaType   string `json:"media_type,omitempty"`
}

// Fee is a fee or charge (lệ phí, phí) of the dossier.
type Fee struct {
	Name      string `json:"name"`
	AmountVND int64  `json:"amount_vnd"`
	Paid      bool   `json:"paid"`
}

// AckRequest is the body of POST /v1/transfers/{id}/ack.
type AckRequest struct {
	Accepted  bool   `json:"accepted"`
	LocalCode string `json:"local_code,omitempty"`
	Reason    string `json:"reason,omitempty"` // required when refusing
}

// StatusRequest is the body of POST /v1/transfers/{id}/status, and the
// transfer's last status change.
type StatusRequest struct {
	StatusCode StatusCode  `json:"status_code"`
	Note       string      `json:"note,omitempty"`
	Actor      Actor       `json:"actor"`
	OccurredAt time.Time   `json:"occurred_at"`
	NewDueAt   time.Time   `json:"new_due_at,omitzero"`
	Supplement *Supplement `json:"supplement,omitempty"` // status 5
	Results    []ResultDoc `json:"results,omitempty"`    // status 9
}

// Actor is the official who made a change.
type Actor struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Unit  string `json:"unit,omitempty"`
}

// Supplement is a request for more documents (yêu cầu bổ sung).
type Supplement struct {
	Request  string    `json:"request"`
	Deadline time.Time `json:"deadline"`
}

// ResultDoc is a result document (kết quả giải quyết), with its scan when SHA256
// names an uploaded blob.
type ResultDoc struct {
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"`
	Number string `json:"number,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// RecallRequest is the optional body of POST /v1/transfers/{id}/recall.
type RecallRequest struct {
	Reason string `json:"reason,omitempty"`
}

// TransferPage is one page of GET /v1/transfers.
type TransferPage struct {
	Transfers  []Transfer `json:"transfers"`
	NextCursor string     `json:"next_cursor"`
	HasMore    bool       `json:"has_more"`
}

// EventType names what happened to a transfer.
type EventType string

const (
	EventReceived      EventType = "transfer.received"       // to the recipient
	EventAccepted      EventType = "transfer.accepted"       // to the sender
	EventRejected      EventType = "transfer.rejected"       // to the sender
	EventStatusChanged EventType = "transfer.status_changed" // to the other party
	EventRecalled      EventType = "transfer.recalled"       // to the recipient
)

// Event is one entry of an agency's feed. Seq strictly increases per recipient
// agency; ID is unique and receivers dedupe on it.
type Event struct {
	ID          string    `json:"id"`
	Seq         int64     `json:"seq"`
	Type        EventType `json:"type"`
	OccurredAt  time.Time `json:"occurred_at"`
	TransferID  string    `json:"transfer_id"`
	Version     int64     `json:"version"`
	DossierCode string    `json:"dossier_code"`
	FromAgency  string    `json:"from_agency"`
	ToAgency    string    `json:"to_agency"`
	// SubmissionID is set on the submission events of v1.1 (transfer_id is
	// empty there; from_agency is the portal's code).
	SubmissionID string    `json:"submission_id,omitempty"`
	Data         EventData `json:"data"`
}

// EventData is what changed: Transfer with transfer.received, Ack with
// accepted/rejected, Status with status_changed, Recall with recalled.
type EventData struct {
	Transfer *Transfer      `json:"transfer,omitempty"`
	Ack      *Ack           `json:"ack,omitempty"`
	Status   *StatusRequest `json:"status,omitempty"`
	Recall   *Recall        `json:"recall,omitempty"`
	// Submission is the snapshot with submission.received and
	// submission.decided (v1.1).
	Submission *Submission `json:"submission,omitempty"`
}

// InboxPage is one page of GET /v1/inbox.
type InboxPage struct {
	Events     []Event `json:"events"`
	NextCursor string  `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}
