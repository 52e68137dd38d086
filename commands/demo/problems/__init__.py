"""The demo problems, one module each, in catalogue order."""

from __future__ import annotations

from commands.demo.model import DemoProblem
from commands.demo.problems import (
    best_time_to_buy_and_sell_stock,
    binary_search,
    binary_tree_level_order,
    climbing_stairs,
    coin_change,
    contains_duplicate,
    edit_distance,
    fizzbuzz,
    group_anagrams,
    house_robber,
    linked_list_cycle,
    longest_common_prefix,
    maximum_subarray,
    merge_intervals,
    number_of_islands,
    product_of_array_except_self,
    range_sum_queries,
    reverse_string,
    trapping_rain_water,
    two_sum,
    valid_anagram,
    valid_parentheses,
)

PROBLEMS: tuple[DemoProblem, ...] = (
    fizzbuzz.PROBLEM,
    two_sum.PROBLEM,
    reverse_string.PROBLEM,
    contains_duplicate.PROBLEM,
    valid_anagram.PROBLEM,
    longest_common_prefix.PROBLEM,
    best_time_to_buy_and_sell_stock.PROBLEM,
    valid_parentheses.PROBLEM,
    binary_search.PROBLEM,
    climbing_stairs.PROBLEM,
    linked_list_cycle.PROBLEM,
    maximum_subarray.PROBLEM,
    merge_intervals.PROBLEM,
    product_of_array_except_self.PROBLEM,
    group_anagrams.PROBLEM,
    house_robber.PROBLEM,
    coin_change.PROBLEM,
    number_of_islands.PROBLEM,
    binary_tree_level_order.PROBLEM,
    range_sum_queries.PROBLEM,
    trapping_rain_water.PROBLEM,
    edit_distance.PROBLEM,
)
