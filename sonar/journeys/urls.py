app_name = "journeys"

urlpatterns = []
