; obligation: kernel.layout.lookupFault.word1
; statement: lookup_fault[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.lookupFault.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun lufType () (_ BitVec 64))
(declare-fun bits8to2 () (_ BitVec 64))
(declare-fun bits15to9 () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x25 (bvand lufType (_ bv3 64))))
 (let ((?x16 (bvand (bvor (bvand word (_ bv18446744073709486591 64)) (bvshl (bvand bits15to9 (_ bv127 64)) (_ bv9 64))) (_ bv18446744073709551107 64))))
 (let ((?x28 (bvor (bvand (bvor ?x16 (bvshl (bvand bits8to2 (_ bv127 64)) (_ bv2 64))) (_ bv18446744073709551612 64)) (bvshl ?x25 (_ bv0 64)))))
 (let (($x36 (and (= (bvand ?x28 (_ bv18446744073709486080 64)) (bvand word (_ bv18446744073709486080 64))) (= (bvand (bvlshr ?x28 (_ bv9 64)) (_ bv127 64)) (bvand bits15to9 (_ bv127 64))))))
 (let (($x40 (and $x36 (= (bvand (bvlshr ?x28 (_ bv2 64)) (_ bv127 64)) (bvand bits8to2 (_ bv127 64))))))
 (let (($x44 (and $x40 (= (bvand (bvlshr ?x28 (_ bv0 64)) (_ bv3 64)) ?x25))))
 (not $x44))))))))
(check-sat)
