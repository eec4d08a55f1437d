; obligation: kernel.layout.schedContext.wordsDisjoint
; statement: no two schedContext field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun schedContext () (_ BitVec 64))
(assert
 (bvule schedContext (_ bv281474976710655 64)))
(assert
 (= (bvand schedContext (_ bv127 64)) (_ bv0 64)))
(assert
 (let ((?x15 (bvadd schedContext (_ bv32 64))))
 (let ((?x17 (bvadd schedContext (_ bv72 64))))
 (let ((?x25 (bvadd ?x17 (_ bv8 64))))
 (let (($x27 (or (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x17) (bvule ?x25 (bvadd schedContext (_ bv24 64))))))
 (let (($x23 (or (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x15) (bvule (bvadd ?x15 (_ bv8 64)) (bvadd schedContext (_ bv24 64))))))
 (let (($x32 (and (and $x23 $x27) (or (bvule (bvadd ?x15 (_ bv8 64)) ?x17) (bvule ?x25 ?x15)))))
 (not $x32))))))))
(check-sat)
