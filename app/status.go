package app

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

var statusNames = map[StatusCode]string{
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

// Name is the exact national name of the status.
func (s StatusCode) Name() string { return statusNames[s] }

// Valid reports whether s is one of the ten national codes.
func (s StatusCode) Valid() bool { _, ok := statusNames[s]; return ok }

// AllStatusCodes lists the national codes in order.
func AllStatusCodes() []StatusCode {
	return []StatusCode{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
}

// State is the internal workflow state of a dossier; each maps to exactly one
// national StatusCode.
type State string

const (
	StateSubmitted        State = "submitted"         // 1: online submission not yet accepted
	StateReceived         State = "received"          // 2: accepted at the counter, receipt issued
	StateRefused          State = "refused"           // 3: refused at intake
	StateProcessing       State = "processing"        // 4: with a specialist
	StateAwaitingApproval State = "awaiting_approval" // 4: the specialist's draft waits for the leader
	StateApproved         State = "approved"          // 4: the leader approved; the result is being issued
	StateTransferred      State = "transferred"       // 4: handed to another agency (liên thông)
	StateSupplement       State = "supplement"        // 5: supplement requested
	StatePayment          State = "payment"           // 6: waiting for fees or taxes
	StateWithdrawn        State = "withdrawn"         // 7: withdrawn by the applicant
	StateStopped          State = "stopped"           // 8: processing stopped
	StateResolved         State = "resolved"          // 9: result ready at the counter
	StateReturned         State = "returned"          // 10: result handed to the applicant
)

var stateInfo = map[State]struct {
	code  StatusCode
	label string
}{
	StateSubmitted:        {StatusSubmitted, "Mới đăng ký"},
	StateReceived:         {StatusReceived, "Đã tiếp nhận"},
	StateRefused:          {StatusRefused, "Từ chối tiếp nhận"},
	StateProcessing:       {StatusProcessing, "Đang xử lý"},
	StateAwaitingApproval: {StatusProcessing, "Chờ lãnh đạo duyệt"},
	StateApproved:         {StatusProcessing, "Đã duyệt, chờ ban hành"},
	StateTransferred:      {StatusProcessing, "Đang xử lý liên thông"},
	StateSupplement:       {StatusSupplement, "Yêu cầu bổ sung"},
	StatePayment:          {StatusPaymentRequired, "Chờ nộp phí, lệ phí"},
	StateWithdrawn:        {StatusWithdrawn, "Công dân rút hồ sơ"},
	StateStopped:          {StatusStopped, "Dừng xử lý"},
	StateResolved:         {StatusResolved, "Đã có kết quả"},
	StateReturned:         {StatusReturned, "Đã trả kết quả"},
}

// Code is the national status code of the state.
func (s State) Code() StatusCode { return stateInfo[s].code }

// Label is a short Vietnamese label of the internal state.
func (s State) Label() string {
	if i, ok := stateInfo[s]; ok {
		return i.label
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s State) Valid() bool { _, ok := stateInfo[s]; return ok }

// Open reports whether the dossier is still being handled: it has a running
// clock and appears in the work queues.
func (s State) Open() bool {
	switch s {
	case StateReceived, StateProcessing, StateAwaitingApproval, StateApproved, StateTransferred, StateSupplement, StatePayment:
		return true
	}
	return false
}

// Finished reports whether processing finished with a result (9 or 10).
func (s State) Finished() bool { return s == StateResolved || s == StateReturned }

// AllStates lists the internal states in workflow order.
func AllStates() []State {
	return []State{StateSubmitted, StateReceived, StateRefused, StateProcessing, StateAwaitingApproval,
		StateApproved, StateTransferred, StateSupplement, StatePayment, StateWithdrawn, StateStopped, StateResolved, StateReturned}
}
