package app

import (
	"errors"
	"testing"
)

// TestTransitionsEveryPair checks every (state, action) pair against the
// expected table written out by hand from domain.md §3: allowed pairs give the
// listed next state; every other pair is refused with a typed error that names
// the state and the action.
func TestTransitionsEveryPair(t *testing.T) {
	allowed := map[State]map[Action]State{
		StateSubmitted: {ActAccept: StateReceived, ActRefuse: StateRefused, ActNote: StateSubmitted},
		StateReceived: {ActHandover: StateProcessing, ActWithdraw: StateWithdrawn, ActDelay: StateReceived,
			ActTransfer: StateTransferred, ActNote: StateReceived, ActTransferWithdrawn: StateWithdrawn},
		StateRefused: {ActNote: StateRefused},
		StateProcessing: {ActHandover: StateProcessing, ActRequestSupplement: StateSupplement, ActRequestPayment: StatePayment,
			ActStop: StateStopped, ActWithdraw: StateWithdrawn, ActDelay: StateProcessing, ActSubmitApproval: StateAwaitingApproval,
			ActTransfer: StateTransferred, ActNote: StateProcessing, ActTransferWithdrawn: StateWithdrawn},
		StateAwaitingApproval: {ActApprove: StateApproved, ActSendBack: StateProcessing, ActStop: StateStopped,
			ActWithdraw: StateWithdrawn, ActDelay: StateAwaitingApproval, ActNote: StateAwaitingApproval,
			ActTransferWithdrawn: StateWithdrawn},
		StateApproved: {ActRecordResult: StateResolved, ActWithdraw: StateWithdrawn, ActDelay: StateApproved, ActNote: StateApproved,
			ActTransferWithdrawn: StateWithdrawn},
		StateTransferred: {ActTransferBack: StateProcessing, ActTransferUpdate: StateTransferred, ActDelay: StateTransferred,
			ActTransferResult: StateResolved, ActWithdraw: StateWithdrawn, ActNote: StateTransferred,
			ActTransferSupplement: StateSupplement, ActTransferPayment: StatePayment, ActTransferStop: StateStopped,
			ActTransferWithdrawn: StateWithdrawn},
		// Waiting for the citizen: also at a sender whose recipient asked (liên thông).
		StateSupplement: {ActReceiveSupplement: StateProcessing, ActStop: StateStopped, ActWithdraw: StateWithdrawn,
			ActDelay: StateSupplement, ActNote: StateSupplement, ActTransferUpdate: StateSupplement,
			ActTransferResume: StateTransferred, ActTransferStop: StateStopped, ActTransferJoin: StateProcessing,
			ActTransferWithdrawn: StateWithdrawn},
		StatePayment: {ActRecordPayment: StateProcessing, ActStop: StateStopped, ActWithdraw: StateWithdrawn,
			ActDelay: StatePayment, ActNote: StatePayment, ActTransferUpdate: StatePayment,
			ActTransferResume: StateTransferred, ActTransferStop: StateStopped, ActTransferJoin: StateProcessing,
			ActTransferWithdrawn: StateWithdrawn},
		StateWithdrawn: {ActNote: StateWithdrawn},
		StateStopped:   {ActNote: StateStopped},
		StateResolved:  {ActReturn: StateReturned, ActNote: StateResolved, ActTransferReturned: StateReturned, ActTransfer: StateTransferred},
		StateReturned:  {ActNote: StateReturned},
	}
	n := 0
	for _, s := range AllStates() {
		for _, a := range Actions() {
			n++
			got, err := Next(s, a)
			want, ok := allowed[s][a]
			if ok {
				if err != nil || got != want {
					t.Errorf("%s + %s = %s, %v; want %s", s, a, got, err, want)
				}
				continue
			}
			var te *TransitionError
			if !errors.As(err, &te) || te.State != s || te.Action != a || KindOf(err) != KindConflict {
				t.Errorf("%s + %s: want a TransitionError of kind conflict, got %v", s, a, err)
			}
		}
	}
	if n != len(AllStates())*len(Actions()) {
		t.Fatal("pairs not covered")
	}
}

func TestEveryStateMapsToOneNationalCode(t *testing.T) {
	seen := map[StatusCode]bool{}
	for _, s := range AllStates() {
		c := s.Code()
		if !c.Valid() {
			t.Errorf("state %s maps to invalid code %d", s, c)
		}
		seen[c] = true
	}
	for _, c := range AllStatusCodes() {
		if !seen[c] {
			t.Errorf("national code %d (%s) has no internal state", c, c.Name())
		}
	}
	if StatusReceived.Name() != "Được tiếp nhận" || StatusReturned.Name() != "Đã trả kết quả" {
		t.Error("national names changed")
	}
}

func TestAvailableFollowsRoles(t *testing.T) {
	rec := &User{Roles: []Role{RoleReceiver}}
	spec := &User{Roles: []Role{RoleSpecialist}}
	lead := &User{Roles: []Role{RoleLeader}}
	has := func(as []Action, a Action) bool {
		for _, x := range as {
			if x == a {
				return true
			}
		}
		return false
	}
	if !has(Available(StateResolved, rec), ActReturn) || has(Available(StateResolved, spec), ActReturn) {
		t.Error("only the receiving officer returns results")
	}
	if !has(Available(StateAwaitingApproval, lead), ActApprove) || has(Available(StateAwaitingApproval, spec), ActApprove) {
		t.Error("only the leader approves")
	}
	if has(Available(StateTransferred, lead), ActTransferUpdate) {
		t.Error("system actions are never offered to a person")
	}
}
