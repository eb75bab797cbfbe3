package app

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"motcua/resources"
)

// Service holds the use cases. Every method that changes data runs in one
// store transaction and appends a history or audit entry in it.
type Service struct {
	store    Store
	clock    Clock
	backups  Backups // nil: no backups (tests of other use cases)
	secrets  Secrets // nil: the hub key stays in the settings (tests, tools)
	dataDir  string  // its "backups" folder is the default backup place
	notifier atomic.Pointer[OutboxNotifier]
	changes  feed       // the subscribers of the change feed (changes.go)
	mu       sync.Mutex // guards the sign-in failure bookkeeping and hubDigests

	hubDigests DigestSource // the hub's copy of the daily digests (nil: not connected)
	forms      FormPrinter  // the forms an online decision sends back (nil: none)
}

// NewService builds the use cases over a store and a clock.
func NewService(st Store, clk Clock, opts ...Option) *Service {
	if clk == nil {
		clk = SystemClock{}
	}
	s := &Service{clock: clk}
	s.store = notifyingStore{st, s}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetOutboxNotifier has n told of every commit that queued outbox items
// (the liên thông client is built after the service).
func (s *Service) SetOutboxNotifier(n OutboxNotifier) { s.notifier.Store(&n) }

// Now is the service clock in Vietnam time.
func (s *Service) Now() time.Time { return s.clock.Now().In(Vietnam) }

// NewID returns a random 128-bit hex identifier.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// deny refuses op; what names the act (an Action, a MsgID, or op itself).
func deny(op string, what any) error {
	return E(op, KindPermission, M(MsgDenied, what))
}

func requireRole(op string, u *User, r Role) error {
	if !u.Has(r) {
		return deny(op, op)
	}
	return nil
}

// UserInput creates or updates a user.
type UserInput struct {
	Username string
	FullName string
	Title    string
	Unit     string
	Phone    string
	Roles    []Role
	Password string // required when creating; empty keeps the current one
	Disabled bool
}

// SetupInput is what the first-run wizard collects.
type SetupInput struct {
	Agency Agency
	Admin  UserInput
}

// IsSetUp reports whether the office has been configured.
func (s *Service) IsSetUp() (bool, error) {
	ok := false
	err := s.store.View(func(tx Tx) error {
		_, err := tx.Agency()
		if Is(err, KindNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, err
}

func normAgency(a *Agency) {
	a.Code = strings.ToUpper(strings.TrimSpace(a.Code))
	a.Name, a.GoverningBody, a.Place = NFC(a.Name), NFC(a.GoverningBody), NFC(a.Place)
	a.Address, a.Phone, a.LookupURL = NFC(a.Address), NFC(a.Phone), strings.TrimSpace(a.LookupURL)
	if len(a.Hours) == 0 {
		a.Hours = DefaultOfficeHours()
	}
	if a.Level == "" {
		a.Level = LevelCommune
	}
}

func validateAgency(op string, a *Agency) error {
	var fe []FieldError
	if err := ValidAgencyCode(a.Code); err != nil {
		fe = append(fe, fieldFrom("code", err))
	}
	if a.Name == "" {
		fe = append(fe, FieldErr("name", MsgAgencyName))
	}
	if a.GoverningBody == "" {
		fe = append(fe, FieldErr("governing_body", MsgGoverningBody))
	}
	if a.Place == "" {
		fe = append(fe, FieldErr("place", MsgPlace))
	}
	if err := a.Hours.Validate(); err != nil {
		fe = append(fe, fieldFrom("hours", err))
	}
	fe = append(fe, textErrors(orgName("name", a.Name), orgName("governing_body", a.GoverningBody), line("place", a.Place),
		address("address", a.Address), text{"phone", a.Phone, 50, false})...)
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgAgencyInvalid, fe)
	}
	return nil
}

func (s *Service) buildUser(op string, in UserInput, existing *User) (*User, error) {
	var fe []FieldError
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if in.Username == "" || strings.ContainsAny(in.Username, " \t/\\") {
		fe = append(fe, FieldErr("username", MsgUsername))
	}
	if NFC(in.FullName) == "" {
		fe = append(fe, FieldErr("full_name", MsgFullName))
	}
	fe = append(fe, textErrors(personName("full_name", NFC(in.FullName)), line("title", NFC(in.Title)), line("unit", NFC(in.Unit)))...)
	if len(in.Roles) == 0 {
		fe = append(fe, FieldErr("roles", MsgRolesNone))
	}
	for _, r := range in.Roles {
		if !slices.Contains(AllRoles(), r) {
			fe = append(fe, FieldErr("roles", MsgRoleInvalid, string(r)))
		}
	}
	if existing == nil || in.Password != "" {
		if err := CheckNewPassword(in.Password); err != nil {
			var e *Error
			if errors.As(err, &e) {
				fe = append(fe, e.Fields...)
			}
		}
	}
	if len(fe) > 0 {
		return nil, E(op, KindInvalid, MsgUserInvalid, fe)
	}
	u := &User{}
	if existing != nil {
		*u = *existing
	} else {
		u.CreatedAt = s.Now()
	}
	u.Username, u.FullName, u.Title, u.Unit, u.Phone = in.Username, NFC(in.FullName), NFC(in.Title), NFC(in.Unit), NormalizePhone(in.Phone)
	u.Roles, u.Disabled = slices.Clone(in.Roles), in.Disabled
	if in.Password != "" {
		h, err := HashPassword(in.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
		u.FailedLogins, u.LockedUntil = 0, time.Time{}
	}
	return u, nil
}

// Setup creates the agency, the first administrator, the seed catalogue and
// this year's and next year's statutory holidays, in one transaction.
func (s *Service) Setup(in SetupInput) (*User, error) {
	const op = "Setup"
	normAgency(&in.Agency)
	if err := validateAgency(op, &in.Agency); err != nil {
		return nil, err
	}
	if !slices.Contains(in.Admin.Roles, RoleAdmin) {
		in.Admin.Roles = append(in.Admin.Roles, RoleAdmin)
	}
	u, err := s.buildUser(op, in.Admin, nil)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(func(tx Tx) error {
		if _, err := tx.Agency(); err == nil {
			return E(op, KindConflict, MsgAgencySet)
		}
		if err := tx.PutAgency(&in.Agency); err != nil {
			return err
		}
		if err := tx.PutUser(u); err != nil {
			return err
		}
		if err := s.ensureCatalogue(tx); err != nil {
			return err
		}
		y := s.Now().Year()
		for _, year := range []int{y, y + 1} {
			for _, e := range StatutoryHolidays(year) {
				if err := tx.PutCalendarEntry(e); err != nil {
					return err
				}
			}
		}
		return s.audit(tx, u.Ref(), "setup", in.Agency.Code, in.Agency.Name)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SeedCatalogue parses the embedded seed catalogue.
func SeedCatalogue() ([]Procedure, error) {
	var ps []Procedure
	if err := json.Unmarshal(resources.Catalogue, &ps); err != nil {
		return nil, E("SeedCatalogue", KindInvalid, err)
	}
	return ps, nil
}

// ensureCatalogue loads the seed catalogue when the store has none.
func (s *Service) ensureCatalogue(tx Tx) error {
	have, err := tx.Procedures()
	if err != nil || len(have) > 0 {
		return err
	}
	ps, err := SeedCatalogue()
	if err != nil {
		return err
	}
	for i := range ps {
		if err := tx.PutProcedure(&ps[i]); err != nil {
			return err
		}
	}
	return nil
}

// audit appends to the administration log chain.
func (s *Service) audit(tx Tx, u UserRef, action, target, note string) error {
	last, err := tx.Audit(-1, 1)
	if err != nil {
		return err
	}
	e := AuditEntry{Seq: 1, At: s.Now(), User: u, Action: action, Target: target, Note: NFC(note)}
	if len(last) == 1 {
		e.Seq, e.PrevHash = last[0].Seq+1, last[0].Hash
	}
	e.Hash = HashAudit(e)
	return tx.AppendAudit(e)
}

// UserLocker is a Tx that can read an account and keep it locked until the
// transaction ends (storage/postgres, several desks). SignIn uses it so
// that failed sign-ins at several desks at once are all counted; a store
// with one writer at a time (bbolt) needs no lock.
type UserLocker interface {
	UserForUpdate(username string) (*User, error)
}

// SignIn checks a password. Five failures lock the account for 15 minutes,
// counted in the database: across every desk of the office.
func (s *Service) SignIn(username, password string) (*User, error) {
	const op = "SignIn"
	username = strings.ToLower(strings.TrimSpace(username))
	var out *User
	var authErr error
	err := s.store.Update(func(tx Tx) error {
		read := tx.User
		if l, ok := txAs[UserLocker](tx); ok {
			read = l.UserForUpdate
		}
		u, err := read(username)
		if Is(err, KindNotFound) {
			authErr = E(op, KindPermission, MsgBadCredentials)
			return nil
		}
		if err != nil {
			return err
		}
		now := s.Now()
		switch {
		case u.Disabled:
			authErr = E(op, KindPermission, MsgAccountDisabled)
			return nil
		case now.Before(u.LockedUntil):
			authErr = E(op, KindLocked, M(MsgAccountLockedUntil, HourMinute(u.LockedUntil)))
			return nil
		}
		if !CheckPassword(u.PasswordHash, password) {
			u.FailedLogins++
			authErr = E(op, KindPermission, MsgBadCredentials)
			if u.FailedLogins >= 5 {
				u.FailedLogins = 0
				u.LockedUntil = now.Add(15 * time.Minute)
				authErr = E(op, KindLocked, MsgAccountLockedNow)
				if err := s.audit(tx, UserRef{Username: u.Username}, "user.locked", u.Username, "5 lần đăng nhập sai"); err != nil {
					return err
				}
			}
			return tx.PutUser(u)
		}
		if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			u.FailedLogins, u.LockedUntil = 0, time.Time{}
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	if authErr != nil {
		return nil, authErr
	}
	return out, nil
}

// Agency returns the office.
func (s *Service) Agency() (*Agency, error) {
	var a *Agency
	err := s.store.View(func(tx Tx) (err error) { a, err = tx.Agency(); return })
	return a, err
}

// SaveAgency changes the office's details (administrator).
func (s *Service) SaveAgency(u *User, a Agency) error {
	const op = "SaveAgency"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	normAgency(&a)
	if err := validateAgency(op, &a); err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		old, err := tx.Agency()
		if err != nil {
			return err
		}
		if old.Code != a.Code {
			return E(op, KindInvalid, MsgAgencyCodeFixed, FieldErr("code", MsgCodeFixed))
		}
		if err := tx.PutAgency(&a); err != nil {
			return err
		}
		return s.audit(tx, u.Ref(), "agency.update", a.Code, a.Name)
	})
}

// Settings returns the office settings.
func (s *Service) Settings() (Settings, error) {
	var st Settings
	err := s.store.View(func(tx Tx) (err error) { st, err = tx.Settings(); return })
	if err != nil {
		return st, err
	}
	return st, s.withSecrets(&st)
}

// SaveSettings changes the office settings (administrator).
func (s *Service) SaveSettings(u *User, st Settings) error {
	const op = "SaveSettings"
	if err := requireRole(op, u, RoleAdmin); err != nil {
		return err
	}
	var fe []FieldError
	if st.ClockPolicy != ClockRestart && st.ClockPolicy != ClockPause {
		fe = append(fe, FieldErr("clock_policy", MsgClockPolicy))
	}
	if st.DueSoonHours <= 0 {
		fe = append(fe, FieldErr("due_soon_hours", MsgDueSoonHours))
	}
	if st.ReportCutoff < 1 || st.ReportCutoff > 28 {
		fe = append(fe, FieldErr("report_cutoff_day", MsgCutoffDay))
	}
	if st.BackupKeep < 1 {
		fe = append(fe, FieldErr("backup_keep", MsgBackupKeep))
	}
	if st.IdleLockMin < 0 {
		fe = append(fe, FieldErr("idle_lock_minutes", MsgIdleLock))
	}
	st.HubURL = NFC(st.HubURL)
	if st.HubURL != "" {
		if err := CheckHubURL(st.HubURL); err != nil {
			fe = append(fe, FieldErr("hub_url", MsgHubURL))
		}
		if strings.TrimSpace(st.HubKey) == "" {
			fe = append(fe, FieldErr("hub_key", MsgHubKeyMissing))
		}
	}
	st.PublicURL = strings.TrimSpace(st.PublicURL)
	if u := st.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		fe = append(fe, FieldErr("public_url", MsgPublicURL))
	}
	if st.Paper != "" && st.Paper != "A4" && st.Paper != "A5" {
		fe = append(fe, FieldErr("paper", MsgPaper))
	}
	if len(fe) > 0 {
		return E(op, KindInvalid, MsgSettingsInvalid, fe)
	}
	return s.store.Update(func(tx Tx) error {
		// The backup key changes only through SetBackupPassphrase.
		old, err := tx.Settings()
		if err != nil {
			return err
		}
		st.BackupRecipient, st.BackupKey = old.BackupRecipient, old.BackupKey
		if err := s.keepSecrets(&st); err != nil {
			return err
		}
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		if old.HubURL == "" && st.HubURL != "" {
			// connected: the dossiers citizens may look up are published once
			if _, err := publishAll(tx, s.Now()); err != nil {
				return err
			}
		}
		return s.audit(tx, u.Ref(), "settings.update", "", "")
	})
}

// Users lists the officials.
func (s *Service) Users() ([]User, error) {
	var us []User
	err := s.store.View(func(tx Tx) (err error) { us, err = tx.Users(); return })
	return us, err
}

// User returns one official.
func (s *Service) User(username string) (*User, error) {
	var u *User
	err := s.store.View(func(tx Tx) (err error) { u, err = tx.User(username); return })
	return u, err
}

// SaveUser creates or updates an official (administrator).
func (s *Service) SaveUser(admin *User, in UserInput) error {
	const op = "SaveUser"
	if err := requireRole(op, admin, RoleAdmin); err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		existing, err := tx.User(strings.ToLower(strings.TrimSpace(in.Username)))
		if err != nil && !Is(err, KindNotFound) {
			return err
		}
		u, err := s.buildUser(op, in, existing)
		if err != nil {
			return err
		}
		if existing != nil && existing.Has(RoleAdmin) && (!u.Has(RoleAdmin) || u.Disabled) {
			if n, err := countAdmins(tx); err != nil || n <= 1 {
				if err == nil {
					err = E(op, KindConflict, MsgLastAdmin)
				}
				return err
			}
		}
		if err := tx.PutUser(u); err != nil {
			return err
		}
		action := "user.update"
		if existing == nil {
			action = "user.create"
		}
		return s.audit(tx, admin.Ref(), action, u.Username, strings.Join(roleNames(u.Roles), ", "))
	})
}

func roleNames(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func countAdmins(tx Tx) (int, error) {
	us, err := tx.Users()
	n := 0
	for _, u := range us {
		if u.Has(RoleAdmin) && !u.Disabled {
			n++
		}
	}
	return n, err
}

// ResetPassword sets a new password for a user and unlocks the account (administrator).
func (s *Service) ResetPassword(admin *User, username, newPassword string) error {
	const op = "ResetPassword"
	if err := requireRole(op, admin, RoleAdmin); err != nil {
		return err
	}
	if err := CheckNewPassword(newPassword); err != nil {
		return err
	}
	h, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		u, err := tx.User(username)
		if err != nil {
			return err
		}
		u.PasswordHash, u.FailedLogins, u.LockedUntil = h, 0, time.Time{}
		if err := tx.PutUser(u); err != nil {
			return err
		}
		return s.audit(tx, admin.Ref(), "user.reset_password", u.Username, "")
	})
}

// ChangePassword lets a user change their own password.
func (s *Service) ChangePassword(u *User, oldPassword, newPassword string) error {
	const op = "ChangePassword"
	if err := CheckNewPassword(newPassword); err != nil {
		return err
	}
	h, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	return s.store.Update(func(tx Tx) error {
		cur, err := tx.User(u.Username)
		if err != nil {
			return err
		}
		if !CheckPassword(cur.PasswordHash, oldPassword) {
			return E(op, KindPermission, MsgWrongPassword, FieldErr("old_password", MsgWrongPassword))
		}
		cur.PasswordHash = h
		if err := tx.PutUser(cur); err != nil {
			return err
		}
		return s.audit(tx, cur.Ref(), "user.change_password", cur.Username, "")
	})
}

// CheckHubURL accepts the address of a liên thông server: http or https, a
// host name without spaces ("https://lienthong.thanhhoa.gov.vn").
func CheckHubURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(s, " \t") || u.Opaque != "" {
		return E("HubURL", KindInvalid, MsgHubURL)
	}
	return nil
}
