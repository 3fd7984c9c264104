package expr

import "slices"

import "strconv"

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
	pathNames   []string // last name step of each path, for PathNames
	instances   []InstanceUse
	inItem      bool // in a predicate on the items of instance('name')
	itemPreds   bool // the predicates parsePredicates reads next are on such items
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(pos int, msg string) *SyntaxError {
	return newSyntaxError(p.src, pos, msg)
}

func (p *parser) unexpected(t token) *SyntaxError {
	if t.kind == tEOF {
		return p.errAt(t.pos, "unexpected end of expression")
	}
	return p.errAt(t.pos, "unexpected "+t.describe())
}

func (p *parser) parse() (node, *SyntaxError) {
	if p.peek().kind == tEOF {
		return nil, p.errAt(0, "empty expression")
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
		return p.errAt(p.peek().pos, "expression is nested too deeply")
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
	case tNumber, tString, tRef, tLParen, tFunc:
		if t.kind == tFunc && t.val == "instance" {
			p.next()
			return p.parseInstance(t)
		}
		base, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		if p.peek().kind == tLBracket {
			preds, err := p.parsePredicates()
			if err != nil {
				return nil, err
			}
			base = &filterNode{base, preds}
		}
		if s := p.peek(); s.kind == tSlash || s.kind == tSlashSlash {
			return nil, p.errAt(s.pos, "a path cannot continue after a reference, literal or function call")
		}
		return base, nil
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
	case tLParen:
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tRParen {
			return nil, p.errAt(c.pos, "expected ')' to close '(' at column "+
				strconv.Itoa(newSyntaxError(p.src, t.pos, "").Col)+", found "+c.describe())
		}
		p.next()
		return n, nil
	case tFunc:
		return p.parseCall(t)
	}
	return nil, p.unexpected(t)
}

func (p *parser) parsePredicates() ([]node, *SyntaxError) {
	var preds []node
	was := p.inItem
	p.inItem, p.itemPreds = p.itemPreds, false
	defer func() { p.inItem = was }()
	for p.peek().kind == tLBracket {
		open := p.next()
		p.inPred++
		n, err := p.parseOr()
		p.inPred--
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tRBracket {
			return nil, p.errAt(c.pos, "expected ']' to close '[' at column "+
				strconv.Itoa(newSyntaxError(p.src, open.pos, "").Col)+", found "+c.describe())
		}
		p.next()
		preds = append(preds, n)
	}
	return preds, nil
}

func isStepStart(k tokKind) bool {
	return k == tName || k == tStar || k == tDot || k == tDotDot
}

// parseLocationPath turns a path into the step list handed to
// Context.Path. Predicates are kept only on the last step, where they filter
// leaf values; earlier steps would need real nodes, which Context does not
// expose.
func (p *parser) parseLocationPath() (node, *SyntaxError) {
	first := p.peek()
	var steps []string
	abs := false
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
		abs = true
		steps = append(steps, "//")
	}
	var preds []node
	predPos, predStep := 0, -1
	for {
		t := p.next()
		switch t.kind {
		case tName:
			steps = append(steps, t.val)
		case tStar:
			steps = append(steps, "*")
		case tDot:
			steps = append(steps, ".")
			// Inside a predicate "." is the node being filtered.
			p.usesCurrent = p.usesCurrent || p.inPred == 0
		case tDotDot:
			steps = append(steps, "..")
		case tFunc:
			return nil, p.errAt(t.pos, "node tests such as "+t.val+"() are not supported")
		default:
			if t.kind == tEOF {
				return nil, p.errAt(t.pos, "unexpected end of expression: a path step is missing")
			}
			return nil, p.errAt(t.pos, "expected a path step, found "+t.describe())
		}
		if b := p.peek(); b.kind == tLBracket {
			if t.kind == tDot || t.kind == tDotDot {
				return nil, p.errAt(b.pos, "a predicate cannot follow '.' or '..'")
			}
			if preds != nil {
				return nil, p.errAt(predPos, "predicates are only supported on the last step of a path")
			}
			predPos, predStep = b.pos, len(steps)-1
			var err *SyntaxError
			if preds, err = p.parsePredicates(); err != nil {
				return nil, err
			}
		}
		switch p.peek().kind {
		case tSlash:
			p.next()
			continue
		case tSlashSlash:
			p.next()
			steps = append(steps, "//")
			continue
		}
		break
	}
	if preds != nil && predStep != len(steps)-1 {
		return nil, p.errAt(predPos, "predicates are only supported on the last step of a path")
	}
	p.constant = false
	if !abs && len(steps) == 1 && steps[0] == "." {
		return dotNode{}, nil
	}
	if p.inItem && !abs {
		if len(steps) != 1 || preds != nil || steps[0] == ".." || steps[0] == "*" || steps[0] == "//" {
			return nil, p.errAt(first.pos, "inside a condition on instance() items, name a column of the item, as in name = ${q}")
		}
		return &itemColumn{steps[0]}, nil
	}
	if p.inPred > 0 && !abs {
		return nil, p.errAt(first.pos, "relative paths inside predicates are not supported (use . or ${name})")
	}
	if last := steps[len(steps)-1]; last != "." && last != ".." && last != "*" && last != "//" && !slices.Contains(p.pathNames, last) {
		p.pathNames = append(p.pathNames, last)
	}
	return &pathNode{abs: abs, steps: steps, preds: preds}, nil
}

func (p *parser) parseCall(name token) (node, *SyntaxError) {
	if unsupported[name.val] {
		return nil, p.errAt(name.pos, "function "+name.val+"() is not supported")
	}
	def := funcs[name.val]
	if def == nil {
		return nil, p.errAt(name.pos, "unknown function "+name.val+"()")
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
				return nil, p.errAt(t.pos, "expected ',' or ')' in "+name.val+"(), found "+t.describe())
			}
		}
	} else {
		p.next()
	}
	if msg := def.arityError(name.val, len(args)); msg != "" {
		return nil, p.errAt(name.pos, msg)
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
