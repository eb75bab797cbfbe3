package app

// Role is what a user may do (domain.md §1). One user may hold several roles.
type Role string

const (
	RoleReceiver   Role = "receiver"   // cán bộ một cửa: receive, refuse, guide, hand over, return, print
	RoleSpecialist Role = "specialist" // chuyên viên xử lý
	RoleLeader     Role = "leader"     // lãnh đạo: approve, send back, sign apologies and stop notices
	RoleAdmin      Role = "admin"      // quản trị: users, settings, catalogue, calendar, backups
)

// Label is the Vietnamese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleReceiver:
		return "Cán bộ một cửa"
	case RoleSpecialist:
		return "Chuyên viên xử lý"
	case RoleLeader:
		return "Lãnh đạo"
	case RoleAdmin:
		return "Quản trị"
	}
	return string(r)
}

// AllRoles lists the roles.
func AllRoles() []Role { return []Role{RoleReceiver, RoleSpecialist, RoleLeader, RoleAdmin} }
