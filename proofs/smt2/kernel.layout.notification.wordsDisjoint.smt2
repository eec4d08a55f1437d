; obligation: kernel.layout.notification.wordsDisjoint
; statement: no two notification field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun notification () (_ BitVec 64))
(assert
 (bvule notification (_ bv281474976710655 64)))
(assert
 (= (bvand notification (_ bv63 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvadd notification (_ bv32 64))))
 (let ((?x1 (bvadd notification (_ bv40 64))))
 (let ((?x2 (bvadd ?x1 (_ bv8 64))))
 (let (($x3 (or (bvule (bvadd (bvadd notification (_ bv24 64)) (_ bv8 64)) ?x1) (bvule ?x2 (bvadd notification (_ bv24 64))))))
 (let (($x4 (or (bvule (bvadd (bvadd notification (_ bv24 64)) (_ bv8 64)) ?x0) (bvule (bvadd ?x0 (_ bv8 64)) (bvadd notification (_ bv24 64))))))
 (let (($x5 (or (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x1) (bvule ?x2 (bvadd notification (_ bv16 64))))))
 (let (($x6 (or (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x0) (bvule (bvadd ?x0 (_ bv8 64)) (bvadd notification (_ bv16 64))))))
 (let ((?x7 (bvadd notification (_ bv16 64))))
 (let ((?x8 (bvadd notification (_ bv24 64))))
 (let ((?x9 (bvadd ?x8 (_ bv8 64))))
 (let (($x10 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x1) (bvule ?x2 (bvadd notification (_ bv8 64))))))
 (let (($x11 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x0) (bvule (bvadd ?x0 (_ bv8 64)) (bvadd notification (_ bv8 64))))))
 (let (($x12 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x8) (bvule ?x9 (bvadd notification (_ bv8 64))))))
 (let (($x13 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x7) (bvule (bvadd ?x7 (_ bv8 64)) (bvadd notification (_ bv8 64))))))
 (let (($x14 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x1) (bvule ?x2 (bvadd notification (_ bv0 64))))))
 (let (($x15 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x0) (bvule (bvadd ?x0 (_ bv8 64)) (bvadd notification (_ bv0 64))))))
 (let (($x16 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x8) (bvule ?x9 (bvadd notification (_ bv0 64))))))
 (let (($x17 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x7) (bvule (bvadd ?x7 (_ bv8 64)) (bvadd notification (_ bv0 64))))))
 (let ((?x18 (bvadd notification (_ bv0 64))))
 (let ((?x19 (bvadd notification (_ bv8 64))))
 (let ((?x20 (bvadd ?x19 (_ bv8 64))))
 (let (($x21 (and (and (or (bvule (bvadd ?x18 (_ bv8 64)) ?x19) (bvule ?x20 ?x18)) $x17) $x16)))
 (let (($x22 (and (and (and (and (and (and $x21 $x15) $x14) $x13) $x12) $x11) $x10)))
 (let (($x23 (and (and $x22 (or (bvule (bvadd ?x7 (_ bv8 64)) ?x8) (bvule ?x9 ?x7))) $x6)))
 (let (($x24 (and (and (and (and $x23 $x5) $x4) $x3) (or (bvule (bvadd ?x0 (_ bv8 64)) ?x1) (bvule ?x2 ?x0)))))
 (not $x24)))))))))))))))))))))))))))
(check-sat)
