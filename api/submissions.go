package api

import "time"

// v1.1: online dossiers from the province portal, and public look-up
// (central-api.md "v1.1"). The Go types mirror the OpenAPI schemas.

// Event types of v1.1.
const (
	EventSubmissionReceived EventType = "submission.received" // to the addressed agency
	EventSubmissionDecided  EventType = "submission.decided"  // to the portal
)

// SubmissionState is where an online submission stands.
type SubmissionState string

const (
	SubmissionPending    SubmissionState = "pending"
	SubmissionAccepted   SubmissionState = "accepted"
	SubmissionRefused    SubmissionState = "refused"
	SubmissionSupplement SubmissionState = "supplement"
)

// DecisionKind is the agency's answer to a submission.
type DecisionKind string

const (
	DecisionAccepted   DecisionKind = "accepted"
	DecisionRefused    DecisionKind = "refused"
	DecisionSupplement DecisionKind = "supplement"
)

// SubmissionDossier is an online dossier as the portal sends it: channel 2,
// status 1, no dossier code and no receipt date yet (the office issues them
// when it accepts).
type SubmissionDossier struct {
	ProcedureCode string         `json:"procedure_code"`
	ProcedureName string         `json:"procedure_name"`
	FieldName     string         `json:"field_name,omitempty"`
	Channel       int            `json:"channel"`
	Applicant     Applicant      `json:"applicant"`
	Summary       string         `json:"summary,omitempty"`
	StatusCode    StatusCode     `json:"status_code"`
	Note          string         `json:"note,omitempty"`
	Documents     []Document     `json:"documents,omitempty"`
	Fees          []Fee          `json:"fees,omitempty"`
	FormData      map[string]any `json:"form_data,omitempty"`
}

// SubmissionRequest is the body of POST /v1/submissions; the portal is the caller.
type SubmissionRequest struct {
	ToAgency    string            `json:"to_agency"`
	PortalRef   string            `json:"portal_ref"`
	SubmittedAt time.Time         `json:"submitted_at"`
	Dossier     SubmissionDossier `json:"dossier"`
}

// Submission is the hub's snapshot of an online submission.
type Submission struct {
	ID          string            `json:"id"`
	Portal      string            `json:"portal"`
	ToAgency    string            `json:"to_agency"`
	PortalRef   string            `json:"portal_ref"`
	SubmittedAt time.Time         `json:"submitted_at"`
	State       SubmissionState   `json:"state"`
	Version     int64             `json:"version"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Dossier     SubmissionDossier `json:"dossier"`
	Decision    *DecisionRequest  `json:"decision,omitempty"`
	DecidedAt   time.Time         `json:"decided_at,omitzero"`
}

// DecisionRequest is the body of POST /v1/submissions/{id}/decision.
type DecisionRequest struct {
	Decision      DecisionKind       `json:"decision"`
	DossierCode   string             `json:"dossier_code,omitempty"`   // accepted
	ReceivedAt    time.Time          `json:"received_at,omitzero"`     // accepted: the acceptance instant
	DueAt         time.Time          `json:"due_at,omitzero"`          // accepted: the appointment
	ReceiptSHA256 string             `json:"receipt_sha256,omitempty"` // accepted: form 01 as a blob
	Reason        string             `json:"reason,omitempty"`         // refused
	Supplement    *SupplementRequest `json:"supplement,omitempty"`     // supplement
	Actor         Actor              `json:"actor"`
}

// SupplementRequest says what an online submission lacks (form 02).
type SupplementRequest struct {
	Request string `json:"request"`
}

// PublicStatus is the body of PUT /v1/public-status/{dossier_code}: the
// public face of a dossier, nothing personal beyond the masked name.
type PublicStatus struct {
	Version         int64      `json:"version"`
	ProcedureCode   string     `json:"procedure_code"`
	ProcedureName   string     `json:"procedure_name"`
	AgencyName      string     `json:"agency_name"`
	StatusCode      StatusCode `json:"status_code"`
	ReceivedAt      time.Time  `json:"received_at"`
	DueAt           time.Time  `json:"due_at,omitzero"`
	FinishedAt      time.Time  `json:"finished_at,omitzero"`
	ReturnedAt      time.Time  `json:"returned_at,omitzero"`
	ApplicantMasked string     `json:"applicant_masked"`
}

// PublicLookup is the answer of GET /v1/public/lookup.
type PublicLookup struct {
	DossierCode     string     `json:"dossier_code"`
	ProcedureName   string     `json:"procedure_name"`
	AgencyName      string     `json:"agency_name"`
	StatusCode      StatusCode `json:"status_code"`
	StatusName      string     `json:"status_name"`
	ReceivedAt      time.Time  `json:"received_at"`
	DueAt           time.Time  `json:"due_at,omitzero"`
	FinishedAt      time.Time  `json:"finished_at,omitzero"`
	ReturnedAt      time.Time  `json:"returned_at,omitzero"`
	ApplicantMasked string     `json:"applicant_masked"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// StatusNames are the exact national names of the status codes (domain.md §2).
var StatusNames = map[StatusCode]string{
	StatusSubmitted:       "Mới đăng ký",
	StatusReceived:        "Được tiếp nhận",
	StatusRefused:         "Không được tiếp nhận",
	StatusProcessing:      "Đang xử lý",
	StatusSupplement:      "Yêu cầu bổ sung giấy tờ",
	StatusPaymentRequired: "Yêu cầu thực hiện nghĩa vụ tài chính",
	StatusWithdrawn:       "Công dân yêu cầu rút hồ sơ",
	StatusStopped:         "Dừng xử lý",
	StatusResolved:        "Đã xử lý xong",
	StatusReturned:        "Đã trả kết quả",
}
