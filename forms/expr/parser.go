package expr

import "slices"

// parser is a recursive-descent parser over the XPath 1.0 grammar, one
// function per precedence level:
// or < and < (= !=) < (< <= > >=) < (+ -) < (* div mod) < unary - < |.
type parser struct {
	src         string
	toks        []token
	i           int
	inPred      int
	depth       int
	usesCurrent bool
	constant    bool
	relSeen     bool             // a relative path was read inside the predicate being parsed
	pathNames   []string         // last name step of each path, for PathNames
	instances   []InstanceUse    // what instance() and pulldata() read, for Instances
	columns     []InstanceColumn // the columns of their items read, for InstanceColumns
	// instanceCalls are the instance() calls, walked those a path to a
	// column starts from.
	instanceCalls, walked []*callNode
	// Inside a predicate on the nodes of instance('name'), a relative
	// path names a column of the item tested, not a field of the form:
	// itemPreds says the predicates parsed next are such, inItem that
	// the parser is inside one.
	itemPreds, inItem bool
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(pos int, key msgKey, args ...any) *SyntaxError {
	return newSyntaxError(p.src, pos, key, args...)
}

func (p *parser) unexpected(t token) *SyntaxError {
	if t.kind == tEOF {
		return p.errAt(t.pos, msgUnexpectedEnd)
	}
	return p.errAt(t.pos, msgUnexpected, t.describe())
}

func (p *parser) parse() (node, *SyntaxError) {
	if p.peek().kind == tEOF {
		return nil, p.errAt(0, msgEmpty)
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

// maxDepth bounds nesting so that a pathological cell cannot exhaust the
// stack of the parser or, later, of the evaluator.
const maxDepth = 200

func (p *parser) enter() *SyntaxError {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(p.peek().pos, msgTooDeep)
	}
	return nil
}

func (p *parser) parseOr() (node, *SyntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.parseAnd()
	for err == nil && p.peek().kind == tOr {
		p.next()
		var right node
		if right, err = p.parseAnd(); err == nil {
			left = fold(&orNode{left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseAnd() (node, *SyntaxError) {
	left, err := p.parseEquality()
	for err == nil && p.peek().kind == tAnd {
		p.next()
		var right node
		if right, err = p.parseEquality(); err == nil {
			left = fold(&andNode{left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseEquality() (node, *SyntaxError) {
	left, err := p.parseRelational()
	for err == nil && (p.peek().kind == tEq || p.peek().kind == tNeq) {
		op := p.next().kind
		var right node
		if right, err = p.parseRelational(); err == nil {
			left = fold(&cmpNode{op, left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseRelational() (node, *SyntaxError) {
	left, err := p.parseAdditive()
	for err == nil {
		op := p.peek().kind
		if op != tLt && op != tLe && op != tGt && op != tGe {
			break
		}
		p.next()
		var right node
		if right, err = p.parseAdditive(); err == nil {
			left = fold(&cmpNode{op, left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseAdditive() (node, *SyntaxError) {
	left, err := p.parseMultiplicative()
	for err == nil && (p.peek().kind == tPlus || p.peek().kind == tMinus) {
		op := p.next().kind
		var right node
		if right, err = p.parseMultiplicative(); err == nil {
			left = fold(&arithNode{op, left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseMultiplicative() (node, *SyntaxError) {
	left, err := p.parseUnary()
	for err == nil {
		op := p.peek().kind
		if op != tMul && op != tDiv && op != tMod {
			break
		}
		p.next()
		var right node
		if right, err = p.parseUnary(); err == nil {
			left = fold(&arithNode{op, left, right}, left, right)
		}
	}
	return left, err
}

func (p *parser) parseUnary() (node, *SyntaxError) {
	if p.peek().kind != tMinus {
		return p.parseUnion()
	}
	p.next()
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	operand, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return fold(&negNode{operand}, operand), nil
}

func (p *parser) parseUnion() (node, *SyntaxError) {
	left, err := p.parsePathExpr()
	for err == nil && p.peek().kind == tPipe {
		p.next()
		var right node
		if right, err = p.parsePathExpr(); err == nil {
			left = &unionNode{left, right}
		}
	}
	return left, err
}

func (p *parser) parsePathExpr() (node, *SyntaxError) {
	switch t := p.peek(); t.kind {
	case tSlash, tSlashSlash, tName, tStar, tDot, tDotDot:
		return p.parseLocationPath()
	case tNumber, tString, tRef, tLastSaved, tLParen, tFunc:
		base, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		var preds []node
		rel := false
		open := p.peek()
		if open.kind == tLBracket {
			if preds, rel, err = p.parsePredicates(); err != nil {
				return nil, err
			}
		}
		s := p.peek()
		goesOn := s.kind == tSlash || s.kind == tSlashSlash
		if !goesOn && !rel {
			if preds != nil {
				base = &filterNode{base, preds}
			}
			return base, nil
		}
		// A step after it, or a predicate reading the elements it tests:
		// the primary must stand for elements of the record.
		np := &nodePath{preds: preds}
		switch b := base.(type) {
		case *refNode:
			np.from, np.ref = fromRef, b.name
		case *callNode:
			np.from, np.call = fromCall, b
		}
		if np.from == fromContext || np.call != nil && np.call.def.nodes == nil {
			if goesOn {
				return nil, p.errAt(s.pos, msgPathAfter)
			}
			return nil, p.errAt(open.pos, msgRelativeInPred)
		}
		if goesOn {
			deep := p.next().kind == tSlashSlash
			items := np.call != nil && np.call.def == funcs["instance"]
			if np.steps, _, err = p.parseSteps(deep, items); err != nil {
				return nil, err
			}
			if items {
				p.noteItemColumns(np.call, np.steps)
			} else {
				p.notePathName(np.steps)
			}
		}
		return np, nil
	default:
		return nil, p.unexpected(t)
	}
}

func (p *parser) parsePrimary() (node, *SyntaxError) {
	t := p.next()
	switch t.kind {
	case tNumber:
		return &litNode{Num(t.num)}, nil
	case tString:
		return &litNode{Str(t.val)}, nil
	case tRef:
		p.constant = false
		return &refNode{t.val}, nil
	case tLastSaved:
		p.constant = false
		return &lastSavedNode{t.val}, nil
	case tLParen:
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tRParen {
			return nil, p.errAt(c.pos, msgExpectedRParen, column(p.src, t.pos), c.describe())
		}
		p.next()
		return n, nil
	case tFunc:
		return p.parseCall(t)
	}
	return nil, p.unexpected(t)
}

// parsePredicates parses [...][...]. rel reports whether one of them reads
// a relative path (state = 'x', ./name): those test elements, not values.
func (p *parser) parsePredicates() (preds []node, rel bool, err *SyntaxError) {
	outer, outerItem := p.relSeen, p.inItem
	p.relSeen, p.inItem, p.itemPreds = false, p.itemPreds, false
	defer func() { p.relSeen, p.inItem = outer, outerItem }()
	for p.peek().kind == tLBracket {
		open := p.next()
		p.inPred++
		n, err := p.parseOr()
		p.inPred--
		if err != nil {
			return nil, false, err
		}
		if c := p.peek(); c.kind != tRBracket {
			return nil, false, p.errAt(c.pos, msgExpectedRBracket, column(p.src, open.pos), c.describe())
		}
		p.next()
		preds = append(preds, n)
	}
	return preds, p.relSeen, nil
}

func isStepStart(k tokKind) bool {
	return k == tName || k == tStar || k == tDot || k == tDotDot
}

// parseLocationPath parses a path that starts with a step or a slash. A
// path whose predicates all sit on its last step and read no relative path
// becomes a pathNode, handed to Context.Path as steps and filtered as leaf
// values: nearly every path in forms, and the cheap kind. Any other (a
// predicate on an earlier step, /data/rep[age > 18]/name, a relative path
// inside a predicate) becomes a nodePath over the record's elements.
func (p *parser) parseLocationPath() (node, *SyntaxError) {
	first := p.peek()
	abs, deep := false, false
	switch first.kind {
	case tSlash:
		p.next()
		abs = true
		if !isStepStart(p.peek().kind) {
			p.constant = false
			return &pathNode{abs: true}, nil
		}
	case tSlashSlash:
		p.next()
		abs, deep = true, true
	}
	items := p.inItem && !abs // a column of an item, and what lies below it
	steps, needNodes, err := p.parseSteps(deep, items)
	if err != nil {
		return nil, err
	}
	p.constant = false
	if !abs && len(steps) == 1 && steps[0].name == "." && !steps[0].deep {
		return dotNode{}, nil
	}
	if p.inPred > 0 && !abs {
		// Inside a predicate a relative path starts at the element being
		// tested, which only a nodePath has.
		p.relSeen, needNodes = true, true
	}
	if !items {
		p.notePathName(steps)
	}
	if needNodes {
		from := fromContext
		if abs {
			from = fromRoot
		}
		return &nodePath{from: from, steps: steps}, nil
	}
	var names []string
	for _, st := range steps {
		if st.deep {
			names = append(names, "//")
		}
		names = append(names, st.name)
	}
	return &pathNode{abs: abs, steps: names, preds: steps[len(steps)-1].preds}, nil
}

// parseSteps parses steps separated by / or //; deep says a // came before
// the first, items that the steps walk a secondary instance. needNodes
// reports predicates that a pathNode cannot apply: one before the last
// step, or one reading a relative path.
func (p *parser) parseSteps(deep, items bool) (steps []nodeStep, needNodes bool, err *SyntaxError) {
	for {
		t := p.next()
		st := nodeStep{deep: deep}
		switch t.kind {
		case tName:
			st.name = t.val
		case tStar:
			st.name = "*"
		case tDot:
			st.name = "."
			// Inside a predicate "." is the node being filtered.
			p.usesCurrent = p.usesCurrent || p.inPred == 0
		case tDotDot:
			st.name = ".."
		case tFunc:
			return nil, false, p.errAt(t.pos, msgNodeTest, t.val)
		case tEOF:
			return nil, false, p.errAt(t.pos, msgStepMissing)
		default:
			return nil, false, p.errAt(t.pos, msgExpectedStep, t.describe())
		}
		if b := p.peek(); b.kind == tLBracket {
			if t.kind == tDot || t.kind == tDotDot {
				return nil, false, p.errAt(b.pos, msgPredAfterDot)
			}
			var rel bool
			p.itemPreds = items
			if st.preds, rel, err = p.parsePredicates(); err != nil {
				return nil, false, err
			}
			st.key = keyOf(st.preds[0])
			needNodes = needNodes || rel
		}
		steps = append(steps, st)
		switch p.peek().kind {
		case tSlash:
			p.next()
			deep = false
			continue
		case tSlashSlash:
			p.next()
			deep = true
			continue
		}
		break
	}
	for _, st := range steps[:len(steps)-1] {
		needNodes = needNodes || len(st.preds) > 0
	}
	return steps, needNodes, nil
}

// notePathName adds the last name step of a path to PathNames, so the
// engine adds what the path reads to its dependency graph.
func (p *parser) notePathName(steps []nodeStep) {
	if len(steps) == 0 {
		return
	}
	if last := steps[len(steps)-1].name; last != "." && last != ".." && last != "*" && !slices.Contains(p.pathNames, last) {
		p.pathNames = append(p.pathNames, last)
	}
}

func (p *parser) parseCall(name token) (node, *SyntaxError) {
	if unsupported[name.val] {
		return nil, p.errAt(name.pos, msgFuncUnsupported, name.val)
	}
	def := funcs[name.val]
	if def == nil {
		return nil, p.errAt(name.pos, msgFuncUnknown, name.val)
	}
	p.next() // '('; the lexer only makes tFunc when one follows
	var args []node
	if p.peek().kind != tRParen {
		for {
			a, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			t := p.next()
			if t.kind == tRParen {
				break
			}
			if t.kind != tComma {
				return nil, p.errAt(t.pos, msgExpectedComma, name.val, t.describe())
			}
		}
	} else {
		p.next()
	}
	if key, args := def.arityError(name.val, len(args)); key != "" {
		return nil, p.errAt(name.pos, key, args...)
	}
	if def.flags&fVolatile != 0 || def.flags&fContext != 0 {
		p.constant = false
	}
	if def.flags&fCurrentIfNoArgs != 0 && len(args) == 0 {
		p.constant = false
		p.usesCurrent = p.usesCurrent || p.inPred == 0
	}
	if def.flags&fUsesCurrent != 0 {
		p.usesCurrent = true
	}
	n := &callNode{def: def, args: args}
	if def.prepare != nil {
		if err := def.prepare(p, n, name.pos); err != nil {
			return nil, err
		}
	}
	if def.flags&(fVolatile|fContext|fNoFold) != 0 || (def.flags&fCurrentIfNoArgs != 0 && len(args) == 0) {
		return n, nil
	}
	return fold(n, args...), nil
}

// fold evaluates a pure node whose operands are all literals once, at
// Parse, so that constant sub-expressions cost nothing per evaluation.
func fold(n node, kids ...node) node {
	for _, k := range kids {
		if _, ok := k.(*litNode); !ok {
			return n
		}
	}
	v := n.eval(emptyContext{})
	if v.Kind == KindNodeset {
		return n
	}
	return &litNode{v}
}
