package forms

import (
	"sort"
	"strings"
)

// Where a declaration's entities come from. pyxform 4.x (spec 2025.1)
// puts each declaration's meta/entity block in one container (the
// record, a group or a repeat), inferred from the questions that save its
// properties and the questions its expressions read, and allows one
// declaration per container. fieldbench follows the same inference, so
// that a form ODK converts loads and one it refuses is refused: the
// declaration's scope is the repeat (or the record) of that container,
// one entity per instance. This is a port of pyxform's
// entities_parsing.py (get_allocation_request,
// allocate_entities_to_containers); a container path there is the
// container itself here, since a container's path is its chain of
// parents.

// entityRef is a question linked to a declaration: one that saves one of
// its properties, or one its expressions read.
type entityRef struct {
	field *Field
	save  bool
}

// container is the group, repeat or record (Form.Root) the question's row
// is in.
func (r entityRef) container() *Field { return r.field.Parent }

// entityRequest is where a declaration asks to be put (pyxform's
// AllocationRequest).
type entityRequest struct {
	d         *entityDef
	scope     *Field   // the deepest repeat (or the record) among its references
	requested *Field   // the container it prefers
	lineages  []*Field // the containers of its save_to questions, distinct, in order
}

// placeEntities gives every declaration its container and scope, or
// refuses the form where pyxform does.
func (b *builder) placeEntities() {
	var reqs []*entityRequest
	referenced := map[*entityDef]bool{}
	for _, d := range b.entitiesByFirstReference() {
		r := b.entityRequest(d, b.entityRefs(d))
		if r == nil {
			return // refused; its error is reported
		}
		referenced[d] = true
		reqs = append(reqs, r)
	}
	for _, d := range b.f.entities {
		if !referenced[d] {
			reqs = append(reqs, &entityRequest{d: d, scope: b.f.Root, requested: b.f.Root})
		}
	}
	b.allocateEntities(reqs)
	for _, r := range reqs {
		scope := r.scope
		if r.d.container != nil {
			scope = containerBoundary(r.d.container)
		}
		if scope.Type == TypeRepeat {
			r.d.repeat = scope
		}
	}
}

// entitiesByFirstReference lists the declarations that have references,
// in the order the survey first refers to them.
func (b *builder) entitiesByFirstReference() []*entityDef {
	first := map[*entityDef]int{}
	var out []*entityDef
	for _, d := range b.f.entities {
		if refs := b.entityRefs(d); len(refs) > 0 {
			first[d] = refs[0].field.idxInForm(b.f)
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return first[out[i]] < first[out[j]] })
	return out
}

// idxInForm is the field's position in the survey (compile has not yet
// numbered the fields).
func (fd *Field) idxInForm(f *Form) int {
	for i, x := range f.Fields {
		if x == fd {
			return i
		}
	}
	return len(f.Fields)
}

// entityRefs lists d's references in survey order, a row's save_to before
// its being read, as pyxform collects them.
func (b *builder) entityRefs(d *entityDef) []entityRef {
	names := map[string]bool{}
	for _, c := range d.exprs() {
		if c.e == nil {
			continue
		}
		for _, m := range refRE.FindAllStringSubmatch(c.e.Src, -1) {
			names[strings.TrimSpace(m[1])] = true
		}
	}
	var out []entityRef
	for _, fd := range b.f.Fields {
		if fd.SaveTo != "" && fd.SaveList == d.List {
			out = append(out, entityRef{fd, true})
		}
		if names[fd.Name] {
			out = append(out, entityRef{fd, false})
		}
	}
	return out
}

// entityRequest finds where d prefers to be and checks that its
// references fit one scope (pyxform's get_allocation_request); nil when
// they do not, the error reported.
func (b *builder) entityRequest(d *entityDef, refs []entityRef) *entityRequest {
	var deepestScope *Field
	var deepestScopeRef, deepestContainerRef, deepestSave *entityRef
	deepestCount, containerSub, saveSub := -1, 0, 0
	var lineages []*Field
	for i := range refs {
		ref := &refs[i]
		c := ref.container()
		sub, bnd := subpathCount(c), containerBoundary(c)
		if n := boundaryCount(bnd); deepestScope == nil || n > deepestCount {
			if bnd != deepestScope {
				deepestContainerRef, containerSub = ref, sub
				if ref.save {
					deepestSave, saveSub = ref, sub
				}
			}
			deepestScope, deepestCount, deepestScopeRef = bnd, n, ref
		}
		if bnd == deepestScope && sub > containerSub {
			deepestContainerRef, containerSub = ref, sub
		}
		if ref.save {
			if !containsField(lineages, c) {
				lineages = append(lineages, c)
			}
			if deepestSave == nil || (bnd == deepestScope && sub > saveSub) {
				deepestSave, saveSub = ref, sub
			}
		}
	}
	requested := deepestContainerRef.container()
	if deepestSave != nil {
		requested = deepestSave.container()
	}
	if len(lineages) > 0 {
		requested = commonLineage(lineages, containerBoundary(deepestSave.container()))
	}
	reqBoundary := containerBoundary(requested)
	for _, ref := range refs {
		bnd := containerBoundary(ref.container())
		fits := ancestorAt(deepestScope, pathDepth(bnd)) == bnd
		switch {
		case !fits && ref.save:
			b.errorAt(saveLoc(ref.field), ldEntitySaveScope, quote(ref.field.SaveTo), quote(d.List),
				containerPath(ref.container()), containerPath(deepestScopeRef.container()))
			return nil
		case !fits:
			b.errorAt(d.Loc, ldEntityRefScope, quote(d.List), quote(ref.field.Name),
				containerPath(ref.container()), containerPath(deepestScopeRef.container()))
			return nil
		case ref.save && reqBoundary != bnd:
			b.errorAt(saveLoc(ref.field), ldEntitySaveScope, quote(ref.field.SaveTo), quote(d.List),
				containerPath(ref.container()), containerPath(requested))
			return nil
		}
	}
	if ancestorAt(requested, pathDepth(deepestScope)) != deepestScope {
		// Its expressions read a repeat its properties are outside of
		// (which instance would the label be of?). pyxform finds no
		// container in that repeat and silently leaves the declaration
		// out of the form, so ODK would make no entity: refused here.
		b.errorAt(d.Loc, ldEntityRefScope, quote(d.List), quote(deepestScopeRef.field.Name),
			containerPath(deepestScopeRef.container()), containerPath(requested))
		return nil
	}
	return &entityRequest{d: d, scope: deepestScope, requested: requested, lineages: lineages}
}

// commonLineage is the container a declaration's save_to questions
// share, as pyxform works it out: the path they have in common (with
// pyxform's way of shortening it where they part), or the scope of the
// deepest save_to when that is deeper.
func commonLineage(lineages []*Field, saveScope *Field) *Field {
	minLen := pathDepth(lineages[0])
	for _, l := range lineages[1:] {
		minLen = min(minLen, pathDepth(l))
	}
	first := lineages[0]
	common := ancestorAt(first, minLen)
	if len(lineages) == 1 {
		return common
	}
	for i := 0; i < minLen; i++ {
		target := ancestorAt(first, i+1)
		for _, l := range lineages {
			if ancestorAt(l, i+1) != target {
				common = ancestorAt(first, i)
				break
			}
		}
	}
	if boundaryCount(common) > boundaryCount(saveScope) ||
		boundaryCount(common) == boundaryCount(saveScope) && subpathCount(common) > subpathCount(saveScope) {
		return common
	}
	return saveScope
}

// allocateEntities gives each declaration a container of its own, as
// deep as its request allows (pyxform's allocate_entities_to_containers),
// or refuses the form when none is left.
func (b *builder) allocateEntities(reqs []*entityRequest) {
	var scopes []*Field
	byScope := map[*Field][]*entityRequest{}
	for _, r := range reqs {
		if byScope[r.scope] == nil {
			scopes = append(scopes, r.scope)
		}
		byScope[r.scope] = append(byScope[r.scope], r)
	}
	if len(scopes) == 1 && scopes[0] == b.f.Root && len(reqs) == 1 {
		reqs[0].d.container = b.f.Root
		return
	}
	reserved := map[*Field]*entityDef{}
	for _, scope := range scopes {
		group := byScope[scope]
		sort.SliceStable(group, func(i, j int) bool { return group[i].d.Loc.Row < group[j].d.Loc.Row })
		limit := pathDepth(scope) - 1
		for _, r := range group {
			var conflict *entityDef
			for depth := pathDepth(r.requested); depth > limit; depth-- {
				cur := ancestorAt(r.requested, depth)
				if conflict = reserved[cur]; conflict != nil {
					if len(r.lineages) > 0 && reserved[r.lineages[0]] != nil {
						conflict = reserved[r.lineages[0]]
						break
					}
					continue
				}
				r.d.container, reserved[cur] = cur, r.d
				for _, l := range r.lineages {
					for i := pathDepth(l); i >= depth; i-- {
						reserved[ancestorAt(l, i)] = r.d
					}
				}
				break
			}
			if conflict != nil {
				b.errorAt(r.d.Loc, ldEntityNoContainer, containerPath(scope), conflict.Loc.Row)
				return
			}
		}
	}
}

// pathDepth counts the containers from the record (1) down to c.
func pathDepth(c *Field) int {
	n := 0
	for ; c != nil; c = c.Parent {
		n++
	}
	return n
}

// ancestorAt is c's container at depth (pathDepth), nil when c is not
// that deep.
func ancestorAt(c *Field, depth int) *Field {
	for d := pathDepth(c); d > depth && c != nil; d-- {
		c = c.Parent
	}
	if pathDepth(c) != depth {
		return nil
	}
	return c
}

// containerBoundary is the nearest repeat at or above c, or the record.
func containerBoundary(c *Field) *Field {
	for c.Parent != nil && c.Type != TypeRepeat {
		c = c.Parent
	}
	return c
}

// boundaryCount is the number of repeats at or above c.
func boundaryCount(c *Field) int {
	n := 0
	for ; c != nil; c = c.Parent {
		if c.Type == TypeRepeat {
			n++
		}
	}
	return n
}

// subpathCount is the number of groups from c up to its boundary.
func subpathCount(c *Field) int {
	n := 0
	for ; c.Parent != nil && c.Type != TypeRepeat; c = c.Parent {
		n++
	}
	return n
}

func containsField(fs []*Field, fd *Field) bool {
	for _, x := range fs {
		if x == fd {
			return true
		}
	}
	return false
}

// containerPath names a container for messages: "/" for the record,
// "/members/address" for a group in a repeat.
func containerPath(c *Field) string {
	var names []string
	for ; c != nil && c.Parent != nil; c = c.Parent {
		names = append([]string{c.Name}, names...)
	}
	return "/" + strings.Join(names, "/")
}

// saveLoc is the save_to cell of a question that saves a property.
func saveLoc(fd *Field) Location {
	loc := fd.Loc
	loc.Column = "save_to"
	return loc
}
