package forms

// RequiredNow reports whether the question at path must be answered with
// the answers as they stand: its required expression is evaluated where
// the question is (inside its repeat instance), as validation does. A
// question whose required is false for now (a child's ID number) is not
// marked required.
func (in *Instance) RequiredNow(path string) bool {
	n, fd, err := in.resolve(path)
	if err != nil || n.level == fd {
		return false
	}
	x := exprOf(fd.Required)
	return x != nil && x.EvalBool(in.at(n, fd))
}
