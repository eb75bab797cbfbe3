package app

// Action is a workflow step; each is one use case of Service.
type Action string

const (
	ActReceive            Action = "receive"             // tiếp nhận
	ActAccept             Action = "accept"              // tiếp nhận hồ sơ nộp trực tuyến (1 → 2)
	ActRefuse             Action = "refuse"              // từ chối tiếp nhận
	ActHandover           Action = "handover"            // chuyển xử lý / giao nhận
	ActRequestSupplement  Action = "request_supplement"  // yêu cầu bổ sung
	ActReceiveSupplement  Action = "receive_supplement"  // nhận bổ sung
	ActRequestPayment     Action = "request_payment"     // yêu cầu nộp phí, thuế
	ActRecordPayment      Action = "record_payment"      // ghi nhận đã nộp
	ActStop               Action = "stop"                // dừng xử lý
	ActWithdraw           Action = "withdraw"            // công dân rút hồ sơ
	ActDelay              Action = "delay"               // xin lỗi, hẹn lại
	ActSubmitApproval     Action = "submit_approval"     // trình lãnh đạo
	ActApprove            Action = "approve"             // lãnh đạo duyệt
	ActSendBack           Action = "send_back"           // lãnh đạo trả lại
	ActRecordResult       Action = "record_result"       // ghi nhận kết quả
	ActReturn             Action = "return"              // trả kết quả
	ActTransfer           Action = "transfer"            // chuyển liên thông
	ActTransferBack       Action = "transfer_back"       // liên thông bị từ chối / thu hồi: xử lý lại tại chỗ
	ActTransferUpdate     Action = "transfer_update"     // cơ quan nhận liên thông cập nhật trạng thái
	ActTransferResult     Action = "transfer_result"     // cơ quan nhận liên thông trả kết quả
	ActTransferSupplement Action = "transfer_supplement" // cơ quan nhận liên thông yêu cầu bổ sung (5)
	ActTransferPayment    Action = "transfer_payment"    // cơ quan nhận liên thông yêu cầu nộp phí (6)
	ActTransferResume     Action = "transfer_resume"     // cơ quan nhận liên thông tiếp tục xử lý (4) sau khi chờ
	ActTransferStop       Action = "transfer_stop"       // cơ quan nhận liên thông dừng xử lý (8)
	ActTransferJoin       Action = "transfer_join"       // hồ sơ bổ sung / đã nộp phí đến qua liên thông (nơi nhận)
	ActTransferReturned   Action = "transfer_returned"   // cơ quan gửi đã trả kết quả cho công dân (10)
	ActTransferWithdrawn  Action = "transfer_withdrawn"  // công dân rút hồ sơ tại cơ quan gửi (7)
	ActNote               Action = "note"                // ghi chú (không đổi trạng thái)
	ActSeal               Action = "seal"                // niêm phong trạng thái khi nâng cấp dữ liệu (không đổi trạng thái)
)

var actionLabels = map[Action]string{
	ActRecall:  "Thu hồi liên thông",
	ActReceive: "Tiếp nhận", ActAccept: "Tiếp nhận hồ sơ trực tuyến", ActRefuse: "Từ chối tiếp nhận",
	ActHandover: "Chuyển xử lý", ActRequestSupplement: "Yêu cầu bổ sung", ActReceiveSupplement: "Tiếp nhận bổ sung",
	ActRequestPayment: "Yêu cầu nộp phí, lệ phí", ActRecordPayment: "Ghi nhận đã nộp phí", ActStop: "Dừng xử lý",
	ActWithdraw: "Rút hồ sơ", ActDelay: "Xin lỗi, hẹn lại", ActSubmitApproval: "Trình lãnh đạo",
	ActApprove: "Duyệt", ActSendBack: "Trả lại chuyên viên", ActRecordResult: "Ghi nhận kết quả",
	ActReturn: "Trả kết quả", ActTransfer: "Chuyển liên thông", ActTransferBack: "Nhận lại từ liên thông",
	ActTransferUpdate: "Cập nhật liên thông", ActTransferResult: "Nhận kết quả liên thông", ActNote: "Ghi chú",
	ActTransferSupplement: "Nơi nhận liên thông yêu cầu bổ sung", ActTransferPayment: "Nơi nhận liên thông yêu cầu nộp phí",
	ActTransferResume: "Nơi nhận liên thông tiếp tục xử lý", ActTransferStop: "Nơi nhận liên thông dừng xử lý",
	ActTransferJoin: "Nhận bổ sung qua liên thông", ActTransferReturned: "Nơi gửi đã trả kết quả",
	ActTransferWithdrawn: "Công dân rút hồ sơ tại nơi gửi",
	ActSeal:              "Niêm phong trạng thái",
}

// Label is the Vietnamese name of the action, as shown on buttons and in history.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// transition is one row of the state machine. To == "" keeps the state.
type transition struct {
	From  []State
	To    State
	Roles []Role // any of them
}

// transitions is the workflow. Receive creates a dossier (no From state) and is
// checked separately. System actions (transfer updates from the central API)
// carry no role: they are applied by the sync service, never by a person.
var transitions = map[Action]transition{
	ActAccept:            {[]State{StateSubmitted}, StateReceived, []Role{RoleReceiver}},
	ActRefuse:            {[]State{StateSubmitted}, StateRefused, []Role{RoleReceiver}},
	ActHandover:          {[]State{StateReceived, StateProcessing}, StateProcessing, []Role{RoleReceiver, RoleSpecialist, RoleLeader}},
	ActRequestSupplement: {[]State{StateProcessing}, StateSupplement, []Role{RoleSpecialist}},
	ActReceiveSupplement: {[]State{StateSupplement}, StateProcessing, []Role{RoleReceiver}},
	ActRequestPayment:    {[]State{StateProcessing}, StatePayment, []Role{RoleSpecialist}},
	ActRecordPayment:     {[]State{StatePayment}, StateProcessing, []Role{RoleReceiver}},
	ActStop:              {[]State{StateProcessing, StateAwaitingApproval, StateSupplement, StatePayment}, StateStopped, []Role{RoleLeader}},
	ActWithdraw:          {[]State{StateReceived, StateProcessing, StateAwaitingApproval, StateApproved, StateTransferred, StateSupplement, StatePayment}, StateWithdrawn, []Role{RoleReceiver}},
	ActDelay:             {[]State{StateReceived, StateProcessing, StateAwaitingApproval, StateApproved, StateTransferred, StateSupplement, StatePayment}, "", []Role{RoleSpecialist, RoleLeader}},
	ActSubmitApproval:    {[]State{StateProcessing}, StateAwaitingApproval, []Role{RoleSpecialist}},
	ActApprove:           {[]State{StateAwaitingApproval}, StateApproved, []Role{RoleLeader}},
	ActSendBack:          {[]State{StateAwaitingApproval}, StateProcessing, []Role{RoleLeader}},
	ActRecordResult:      {[]State{StateApproved}, StateResolved, []Role{RoleSpecialist, RoleLeader}},
	ActReturn:            {[]State{StateResolved}, StateReturned, []Role{RoleReceiver}},
	// From resolved: "chuyển tiếp" of a group procedure once a leg through
	// the central API has come back with its result (MaySendOn).
	ActTransfer:       {[]State{StateReceived, StateProcessing, StateResolved}, StateTransferred, []Role{RoleReceiver, RoleSpecialist}},
	ActTransferBack:   {[]State{StateTransferred}, StateProcessing, nil},
	ActTransferUpdate: {[]State{StateTransferred, StateSupplement, StatePayment}, "", nil},
	// The other agency's news that move this office's dossier (liên thông
	// that closes the loop, transfer_loop.go).
	ActTransferSupplement: {[]State{StateTransferred}, StateSupplement, nil},
	ActTransferPayment:    {[]State{StateTransferred}, StatePayment, nil},
	ActTransferResume:     {[]State{StateSupplement, StatePayment}, StateTransferred, nil},
	ActTransferStop:       {[]State{StateTransferred, StateSupplement, StatePayment}, StateStopped, nil},
	ActTransferJoin:       {[]State{StateSupplement, StatePayment}, StateProcessing, nil},
	ActTransferReturned:   {[]State{StateResolved}, StateReturned, nil},
	ActTransferWithdrawn:  {[]State{StateReceived, StateProcessing, StateAwaitingApproval, StateApproved, StateTransferred, StateSupplement, StatePayment}, StateWithdrawn, nil},
	ActTransferResult:     {[]State{StateTransferred}, StateResolved, nil},
	ActNote:               {AllStates(), "", []Role{RoleReceiver, RoleSpecialist, RoleLeader}},
}

// Actions lists every action that changes an existing dossier, in menu order.
func Actions() []Action {
	return []Action{ActAccept, ActRefuse, ActHandover, ActRequestSupplement, ActReceiveSupplement,
		ActRequestPayment, ActRecordPayment, ActSubmitApproval, ActApprove, ActSendBack, ActRecordResult,
		ActDelay, ActStop, ActWithdraw, ActTransfer, ActReturn, ActTransferBack, ActTransferUpdate, ActTransferResult,
		ActTransferSupplement, ActTransferPayment, ActTransferResume, ActTransferStop, ActTransferJoin, ActTransferReturned,
		ActTransferWithdrawn, ActNote}
}

// Next returns the state after applying a in state s, or a typed transition error.
func Next(s State, a Action) (State, error) {
	t, ok := transitions[a]
	if !ok {
		return s, ErrTransition(string(a), s, a)
	}
	for _, f := range t.From {
		if f == s {
			if t.To == "" {
				return s, nil
			}
			return t.To, nil
		}
	}
	return s, ErrTransition(string(a), s, a)
}

// RolesFor returns the roles allowed to perform a (nil for system actions).
func RolesFor(a Action) []Role {
	if a == ActReceive {
		return []Role{RoleReceiver}
	}
	return transitions[a].Roles
}

// MayPerform reports whether u holds a role allowed for a.
func MayPerform(u *User, a Action) bool {
	for _, r := range RolesFor(a) {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// Available lists the actions u may perform on a dossier in state s: exactly
// the buttons the detail screen shows.
func Available(s State, u *User) []Action {
	var out []Action
	for _, a := range Actions() {
		if _, err := Next(s, a); err == nil && MayPerform(u, a) {
			out = append(out, a)
		}
	}
	return out
}
