"""The shop simulator: ShopConfig -> population -> orders -> traffic -> fulfilment -> service -> feedback -> churn."""
